package io.llmcp.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every file and directory under a root with its bytes' hash and mtime, to prove what changed. */
record TreeSnapshot(Map<String, String> entries) {
    static TreeSnapshot of(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isDirectory(p)) out.put(rel + "/", "dir");
                else out.put(rel, Arrays.hashCode(Files.readAllBytes(p)) + "@" + Files.getLastModifiedTime(p).toMillis()
                        + (Files.isExecutable(p) ? "+x" : ""));
            }
        }
        return new TreeSnapshot(out);
    }
}
