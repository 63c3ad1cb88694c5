; Inno Setup 6 script for Hearth: a per-user installer (no admin rights needed)
; with a Start-menu shortcut, an optional desktop shortcut and an uninstaller.
; Built by `python packaging/build.py` on Windows, which passes AppVersion,
; Variant (e.g. "-cuda") and Root (the repository folder) with /D switches.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef Variant
  #define Variant ""
#endif
#ifndef Root
  #define Root "..\.."
#endif

[Setup]
AppId={{6F1C2D2E-7C1B-4C39-9A3E-5B8E1F0A4C11}
AppName=Hearth
AppVersion={#AppVersion}
AppPublisher=The Hearth developers
AppPublisherURL=https://github.com/hearth-desktop/hearth
DefaultDirName={localappdata}\Programs\Hearth
DefaultGroupName=Hearth
PrivilegesRequired=lowest
DisableProgramGroupPage=yes
OutputDir={#Root}\dist
OutputBaseFilename=Hearth-{#AppVersion}{#Variant}-setup
SetupIconFile={#Root}\build\icons\hearth.ico
UninstallDisplayIcon={app}\hearth.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; GroupDescription: "Shortcuts:"; Flags: unchecked

[Files]
Source: "{#Root}\build\dist\Hearth\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\Hearth"; Filename: "{app}\hearth.exe"
Name: "{group}\Uninstall Hearth"; Filename: "{uninstallexe}"
Name: "{userdesktop}\Hearth"; Filename: "{app}\hearth.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\hearth.exe"; Description: "Start Hearth"; Flags: nowait postinstall skipifsilent

; User data (models, chats, settings) lives in %LOCALAPPDATA%\hearth and is kept on
; uninstall on purpose; the README explains how to remove it.
