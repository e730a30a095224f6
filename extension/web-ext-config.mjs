// web-ext (Firefox tooling) settings: lint and run only the extension itself, not its tests and tools.
export default {
  ignoreFiles: ['node_modules', 'test', 'e2e', 'tools', 'test-artifacts', 'package.json', 'package-lock.json', 'README.md', 'web-ext-config.mjs'],
};
