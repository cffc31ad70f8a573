; The start menu shortcut to restore a backup (electron/app.ts, --restore-backup).
!macro customInstall
  CreateShortCut "$SMPROGRAMS\邻里 · 恢复备份.lnk" "$INSTDIR\linli.exe" "--restore-backup" "$INSTDIR\linli.exe" 0
!macroend

!macro customUnInstall
  Delete "$SMPROGRAMS\邻里 · 恢复备份.lnk"
!macroend
