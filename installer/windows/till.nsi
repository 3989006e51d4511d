; Till's Windows installer, built on Linux by Debian's makensis (`cargo xtask windows`).
;
; Tauri's own bundler downloads NSIS plugins from GitHub while it builds, which an offline build
; machine cannot do; this script needs only what Debian's `nsis` package ships.
;
; Installs for the current user, without administrator rights (as Tauri's default "currentUser"
; mode does), into %LOCALAPPDATA%\Programs\Till: the app, its WebView2 loader and the `till`
; command. The shop's data is not here but in %APPDATA%\till, and is kept on uninstall.
;
; makensis defines (from xtask): VERSION, BIN (folder holding till-desktop.exe, till.exe and
; WebView2Loader.dll), ICON, OUT (the setup file to write), and FAST for a quick check build.

; A 64-bit installer, as Till itself is.
Target amd64-unicode
!ifdef FAST
  ; `cargo xtask test` checks the installer with debug binaries: compressed quickly.
  SetCompressor zlib
!else
  SetCompressor /SOLID lzma
!endif
RequestExecutionLevel user
ManifestDPIAware true

!include "MUI2.nsh"
!include "LogicLib.nsh"

!define NAME "Till"
!define PUBLISHER "Till"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Till"
; Microsoft Edge WebView2 Runtime's client id (Microsoft's documented detection key).
!define WEBVIEW2_KEY "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_KEY_USER "Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${NAME}"
OutFile "${OUT}"
InstallDir "$LOCALAPPDATA\Programs\${NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${NAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${NAME}"
VIAddVersionKey "FileDescription" "${NAME}: a Lightning point of sale"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_FINISHPAGE_RUN "$INSTDIR\till-desktop.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start Till"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; WebView2 is part of Windows 10 and 11; an older or stripped system is told where to get it.
Function CheckWebView2
  ReadRegStr $0 HKLM "${WEBVIEW2_KEY}" "pv"
  ${If} $0 == ""
    ReadRegStr $0 HKCU "${WEBVIEW2_KEY_USER}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    IfSilent +2
    MessageBox MB_OK|MB_ICONINFORMATION "Till shows its screens with Microsoft Edge WebView2, which is part of Windows 10 and 11 but was not found here. Install the WebView2 Runtime from Microsoft (search for $\"WebView2 Runtime$\"), then start Till. The till command works without it."
  ${EndIf}
FunctionEnd

Section "Till" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; The app and the `till` command: Windows names are case-blind, so the app keeps its own name.
  File "${BIN}/till-desktop.exe"
  File "${BIN}/till.exe"
  File "${BIN}/WebView2Loader.dll"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${NAME}.lnk" "$INSTDIR\till-desktop.exe"
  CreateShortCut "$DESKTOP\${NAME}.lnk" "$INSTDIR\till-desktop.exe"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\till-desktop.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1

  Call CheckWebView2
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\till-desktop.exe"
  Delete "$INSTDIR\till.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${NAME}.lnk"
  Delete "$DESKTOP\${NAME}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
