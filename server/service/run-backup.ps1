# The daily backup (npm run admin -- backup) into backups\, the last 14 kept; signs in as the admin of backup.env.
$ErrorActionPreference = 'Stop'
$Home_ = "$env:ProgramData\Linli"
$App = (Get-Content "$Home_\app.txt" -Encoding UTF8).Trim()
foreach ($file in "$Home_\server.env", "$Home_\backup.env") {
  foreach ($line in Get-Content $file -Encoding UTF8) {
    if ($line -match '^\s*([A-Z_]+)=(.*)$') { [Environment]::SetEnvironmentVariable($Matches[1], $Matches[2].Trim(), 'Process') }
  }
}
Set-Location $App
$file = "$Home_\backups\linli-backup-$(Get-Date -Format 'yyyy-MM-dd').jsonl"
& cmd.exe /d /c "node --import tsx server/cli.ts backup `"$file`" >> `"$Home_\logs\backup.log`" 2>&1"
$code = $LASTEXITCODE
Get-ChildItem "$Home_\backups" -Filter 'linli-backup-*.jsonl' | Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-14) } | Remove-Item
exit $code
