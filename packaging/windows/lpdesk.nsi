; lpdesk's Windows installer (NSIS 3, Debian's makensis), built by
; scripts/release.sh through scripts/lib/package.sh, which defines:
;   VERSION      the release version, e.g. 0.1.0
;   FILEVERSION  the same as four numbers, e.g. 0.1.0.0
;   EXE          the lpdesk.exe to install
;   ICON         lpdesk.ico (the app icon, for the installer and uninstaller)
;   OUTFILE      the setup program to write
;
; Installs for all users into Program Files with a Start-menu entry and an
; entry in Apps & features. The uninstaller removes the program; the user's
; profiles (%AppData%\lpdesk) and their secrets in Credential Manager stay
; unless "Remove my profiles" is ticked (or /REMOVEPROFILES is given with /S).

Unicode true
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include Sections.nsh

!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\lpdesk"
!define APP_PATHS_KEY "Software\Microsoft\Windows\CurrentVersion\App Paths\lpdesk.exe"

Name "lpdesk"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\lpdesk"
InstallDirRegKey HKLM "Software\lpdesk" "InstallDir"
BrandingText "lpdesk ${VERSION}"

VIProductVersion "${FILEVERSION}"
VIFileVersion "${FILEVERSION}"
VIAddVersionKey "ProductName" "lpdesk"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "lpdesk ${VERSION} setup"
VIAddVersionKey "LegalCopyright" "The lpdesk authors"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TEXT "lpdesk is installed. Open it from the Start menu; the command line is $\"$INSTDIR\lpdesk.exe$\" (add that folder to PATH to type just lpdesk)."
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_COMPONENTSPAGE_TEXT_TOP "lpdesk itself is removed. Your profiles stay for a later install unless you tick the box below."
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

Section "lpdesk" SecApp
	SectionIn RO
	SetOutPath "$INSTDIR"
	File "/oname=lpdesk.exe" "${EXE}"
	WriteUninstaller "$INSTDIR\uninstall.exe"

	SetShellVarContext all
	CreateShortcut "$SMPROGRAMS\lpdesk.lnk" "$INSTDIR\lpdesk.exe" "" "$INSTDIR\lpdesk.exe" 0 SW_SHOWNORMAL "" "lpdesk"

	WriteRegStr HKLM "Software\lpdesk" "InstallDir" "$INSTDIR"
	; `lpdesk` in the Run dialog and `start lpdesk` find it without PATH.
	WriteRegStr HKLM "${APP_PATHS_KEY}" "" "$INSTDIR\lpdesk.exe"
	WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "lpdesk"
	WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
	WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "The lpdesk authors"
	WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\lpdesk.exe"
	WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
	WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
	WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
	WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
	WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
	${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
	WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "un.lpdesk" UnSecApp
	SectionIn RO
	; A running lpdesk.exe cannot be deleted: it goes at the next restart.
	Delete /REBOOTOK "$INSTDIR\lpdesk.exe"
	Delete "$INSTDIR\uninstall.exe"
	RMDir /REBOOTOK "$INSTDIR"

	SetShellVarContext all
	Delete "$SMPROGRAMS\lpdesk.lnk"
	DeleteRegKey HKLM "${UNINST_KEY}"
	DeleteRegKey HKLM "${APP_PATHS_KEY}"
	DeleteRegKey HKLM "Software\lpdesk"
SectionEnd

; Off unless ticked: a reinstall finds the profiles as they were. It forgets
; them on this computer only; the tokens stay valid at the provider (revoke
; them in Settings or with `lpdesk auth logout --revoke` first).
Section /o "un.Remove my profiles (%AppData%\lpdesk and lpdesk's Credential Manager entries)" UnSecProfiles
	SetShellVarContext current
	RMDir /r "$APPDATA\lpdesk"
	Call un.DeleteCredentials
SectionEnd

; un.DeleteCredentials deletes the generic credentials "lpdesk:<profile>"
; in which go-keyring keeps each profile's token secret.
Function un.DeleteCredentials
	; CredEnumerateW(L"lpdesk:*", 0, &count, &creds): $0 count, $1 the array.
	System::Call 'advapi32::CredEnumerateW(w "lpdesk:*", i 0, *i .r0, *p .r1) i .r2'
	${If} $2 = 0
		Return ; none, or no Credential Manager in this session
	${EndIf}
	StrCpy $3 0
	${DoWhile} $3 < $0
		IntOp $4 $3 * 8 ; a pointer is 8 bytes in this 64-bit installer
		IntPtrOp $5 $1 + $4
		System::Call '*$5(p .r6)'
		; CREDENTIALW: DWORD Flags, DWORD Type, LPWSTR TargetName, …
		System::Call '*$6(i .r8, i .r9, w .r7)'
		System::Call 'advapi32::CredDeleteW(w r7, i 1, i 0) i'
		IntOp $3 $3 + 1
	${Loop}
	System::Call 'advapi32::CredFree(p r1)'
FunctionEnd

Function un.onInit
	; For unattended uninstalls: uninstall.exe /S /REMOVEPROFILES
	${GetParameters} $R0
	ClearErrors
	${GetOptions} $R0 "/REMOVEPROFILES" $R1
	${IfNot} ${Errors}
		!insertmacro SelectSection ${UnSecProfiles}
	${EndIf}
FunctionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
	!insertmacro MUI_DESCRIPTION_TEXT ${UnSecApp} "The program, its Start-menu entry and its registry entries."
	!insertmacro MUI_DESCRIPTION_TEXT ${UnSecProfiles} "Also forget every lpdesk profile on this computer for your user: the profile file and the token secrets. The tokens stay valid at the provider until revoked."
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END
