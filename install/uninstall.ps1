# LLM Control Panel: remove what install.ps1 registered (launchers, jar copy, manifests, HKCU registry keys).
# Models, settings and logs in %LOCALAPPDATA%\llmcp stay.
#   powershell -ExecutionPolicy Bypass -File install\uninstall.ps1 [--dry-run]
# Runs the repo's jar, not the installed copy: Windows cannot delete a jar that is running.
$ErrorActionPreference = 'Stop'
$Root = Split-Path -Parent $PSScriptRoot
$Jar = if ($env:LLMCP_JAR) { $env:LLMCP_JAR } else { Join-Path $Root 'host\target\llmcp-host.jar' }
if (-not (Test-Path $Jar)) { Write-Error "$Jar is not built: run 'mvn -B -DskipTests package' first (uninstall must not run from the installed jar it deletes)" }
$Java = if ($env:JAVA_HOME -and (Test-Path (Join-Path $env:JAVA_HOME 'bin\java.exe'))) { Join-Path $env:JAVA_HOME 'bin\java.exe' } else { 'java.exe' }
& $Java -jar $Jar uninstall @args
exit $LASTEXITCODE
