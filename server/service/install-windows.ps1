# Installs the Linli server on Windows as two scheduled tasks that run without anyone logged in
# (run in an administrator PowerShell, from the checkout, after `npm ci` and `npm run build` there):
#   "Linli Server"  at startup, as SYSTEM, restarted when it stops (run-server.ps1)
#   "Linli Backup"  daily at 02:30 (run-backup.ps1), the last 14 kept
#   data     C:\ProgramData\Linli\db         (PGlite; or DATABASE_URL in server.env)
#   updates  C:\ProgramData\Linli\updates    (kiosk installers and latest.yml, served at /updates/)
#   logs     C:\ProgramData\Linli\logs       (server.log, backup.log; server.log rolls over at 10 MB)
#   backups  C:\ProgramData\Linli\backups
#   settings C:\ProgramData\Linli\server.env, backup.env, tls\server.crt and tls\server.key
# Safe to run again: what exists is kept.
$ErrorActionPreference = 'Stop'
$App = (Resolve-Path "$PSScriptRoot\..\..").Path
$Home_ = "$env:ProgramData\Linli"
foreach ($d in 'db', 'updates', 'logs', 'backups', 'tls') { New-Item -ItemType Directory -Force -Path "$Home_\$d" | Out-Null }
# Only administrators and SYSTEM may read the folder (the database, the key, the admin PIN for backups).
icacls $Home_ /inheritance:r /grant:r 'SYSTEM:(OI)(CI)F' 'Administrators:(OI)(CI)F' | Out-Null
if (-not (Test-Path "$Home_\server.env")) {
  (Get-Content "$PSScriptRoot\server.env" -Encoding UTF8) `
    -replace '/var/lib/linli/db', "$Home_\db" -replace '/var/lib/linli/updates', "$Home_\updates" `
    -replace '/etc/linli/tls', "$Home_\tls" -replace '/opt/linli/renderer/dist', "$App\renderer\dist" |
    Set-Content "$Home_\server.env" -Encoding UTF8
}
if (-not (Test-Path "$Home_\backup.env")) { Copy-Item "$PSScriptRoot\backup.env" "$Home_\backup.env" }
Copy-Item "$PSScriptRoot\run-server.ps1", "$PSScriptRoot\run-backup.ps1" $Home_ -Force
Set-Content "$Home_\app.txt" $App -Encoding UTF8
if (-not (Test-Path "$Home_\tls\server.crt")) {
  Write-Warning "还没有证书：请把 server.crt 和 server.key 放进 $Home_\tls（见 README）/ no certificate yet: put server.crt and server.key in $Home_\tls (README)."
}

$ps = "$env:SystemRoot\System32\WindowsPowerShell\v1.0\powershell.exe"
$settings = New-ScheduledTaskSettingsSet -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) -ExecutionTimeLimit ([TimeSpan]::Zero) -StartWhenAvailable
$system = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
Register-ScheduledTask -TaskName 'Linli Server' -Force -Principal $system -Settings $settings `
  -Trigger (New-ScheduledTaskTrigger -AtStartup) `
  -Action (New-ScheduledTaskAction -Execute $ps -Argument "-NoProfile -ExecutionPolicy Bypass -File `"$Home_\run-server.ps1`"") | Out-Null
Register-ScheduledTask -TaskName 'Linli Backup' -Force -Principal $system `
  -Settings (New-ScheduledTaskSettingsSet -StartWhenAvailable) `
  -Trigger (New-ScheduledTaskTrigger -Daily -At '02:30') `
  -Action (New-ScheduledTaskAction -Execute $ps -Argument "-NoProfile -ExecutionPolicy Bypass -File `"$Home_\run-backup.ps1`"") | Out-Null
Start-ScheduledTask -TaskName 'Linli Server'
Write-Output "邻里服务已安装 / Linli server installed. 日志 / log: $Home_\logs\server.log"
