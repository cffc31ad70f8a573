# Runs the Linli server with the settings of server.env, its output in logs\server.log (rolled over at 10 MB).
$ErrorActionPreference = 'Stop'
$Home_ = "$env:ProgramData\Linli"
$App = (Get-Content "$Home_\app.txt" -Encoding UTF8).Trim()
foreach ($line in Get-Content "$Home_\server.env" -Encoding UTF8) {
  if ($line -match '^\s*([A-Z_]+)=(.*)$') { [Environment]::SetEnvironmentVariable($Matches[1], $Matches[2].Trim(), 'Process') }
}
$log = "$Home_\logs\server.log"
if ((Test-Path $log) -and (Get-Item $log).Length -gt 10MB) { Move-Item $log "$log.1" -Force }
Set-Location $App
# cmd's redirection keeps node's output as it is (UTF-8); PowerShell's would re-encode it and stop at its first stderr line.
& cmd.exe /d /c "node --import tsx server/main.ts >> `"$log`" 2>&1"
exit $LASTEXITCODE
