# LLM Control Panel: set up the native host for this user on Windows, in one command.
#   powershell -ExecutionPolicy Bypass -File install\install.ps1 [--browser chrome,edge|all] [--extension-id ID]... [--dry-run]
# Same steps as install.sh: check Java 17+, build the jar when missing, run 'llmcp install' (which copies the jar to
# %LOCALAPPDATA%\llmcp\bin, writes llmcp-host.bat, writes one manifest per browser under the data dir and points
# HKCU\Software\<browser>\NativeMessagingHosts\io.llmcp.host at it with reg.exe), then explain how to load the extension.
# Not run in CI (no Windows there): the Windows-specific logic lives in the jar and is unit-tested on any OS.
$ErrorActionPreference = 'Stop'
$Root = Split-Path -Parent $PSScriptRoot
$Jar = if ($env:LLMCP_JAR) { $env:LLMCP_JAR } else { Join-Path $Root 'host\target\llmcp-host.jar' }

function Find-Java {
    if ($env:JAVA_HOME -and (Test-Path (Join-Path $env:JAVA_HOME 'bin\java.exe'))) { return (Join-Path $env:JAVA_HOME 'bin\java.exe') }
    $cmd = Get-Command java.exe -ErrorAction SilentlyContinue
    if ($cmd) { return $cmd.Source }
    return $null
}

$Java = Find-Java
if (-not $Java) {
    Write-Error "llmcp needs Java 17 or newer and none was found (no JAVA_HOME, no java.exe on PATH). Install one, e.g.: winget install Microsoft.OpenJDK.17"
}
# Windows PowerShell 5.1 turns a native command's stderr into errors under 'Stop'; java -version writes to stderr.
$ErrorActionPreference = 'Continue'
$versionLine = (& $Java -version 2>&1 | Select-Object -First 1).ToString()
$ErrorActionPreference = 'Stop'
if ($versionLine -notmatch 'version "(\d+)(\.(\d+))?') { Write-Error "could not read the Java version from: $versionLine" }
$major = [int]$Matches[1]
if ($major -eq 1) { $major = [int]$Matches[3] }
if ($major -lt 17) { Write-Error "llmcp needs Java 17 or newer; $Java is version $major. Install a newer one: winget install Microsoft.OpenJDK.17" }

if (-not (Test-Path $Jar)) {
    if (-not (Get-Command mvn -ErrorAction SilentlyContinue)) { Write-Error "the jar $Jar is not built and Maven is missing: install Maven 3.8+ (winget install Apache.Maven) and run this again" }
    Write-Host "Building $Jar (first run only; takes a minute)..."
    Push-Location $Root
    try { & mvn -q -B -DskipTests package; if ($LASTEXITCODE -ne 0) { Write-Error "the build failed; see the Maven output above" } }
    finally { Pop-Location }
}

# PowerShell turns an unquoted 'chrome,edge' into an array; give the jar the comma-separated text back.
$forward = @()
foreach ($a in $args) { if ($a -is [array]) { $forward += ($a -join ',') } else { $forward += [string]$a } }
& $Java -jar $Jar install @forward
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
if ($args -contains '--json') { exit 0 }

Write-Host @"

Next, load the extension (once per browser):
  Chrome, Edge, Brave, Vivaldi, Chromium:
    open chrome://extensions (edge://extensions, brave://extensions, vivaldi://extensions)
    -> turn on Developer mode -> Load unpacked -> choose $Root\extension
  Firefox:
    open about:debugging -> This Firefox -> Load Temporary Add-on... -> choose $Root\extension\manifest.json
Check everything with: "$Java" -jar "$Jar" doctor
Remove it again with:  powershell -ExecutionPolicy Bypass -File $Root\install\uninstall.ps1
"@
