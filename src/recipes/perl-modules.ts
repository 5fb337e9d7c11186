/**
 * Perl modules a script `use`s, and what pkgs.writers.writePerlBin needs
 * for them: nothing for modules that ship with perl itself, a
 * `perlPackages.<attr>` for the others. Attribute names were read in
 * nixpkgs pkgs/top-level/perl-packages.nix (LWP, IPCRun and TryTiny in
 * recent revisions; JSON, TextCSV and DateTime in older ones, where they
 * have had these names for years). A module in neither list is reported.
 */

/** Modules in perl's own distribution (perlmodlib), and pragmas. */
export const PERL_CORE_MODULES: ReadonlySet<string> = new Set([
  'strict', 'warnings', 'utf8', 'constant', 'lib', 'vars', 'feature', 'integer', 'bytes', 'parent', 'base', 'overload', 'open', 'autodie',
  'Carp', 'Cwd', 'Data::Dumper', 'Digest::MD5', 'Digest::SHA', 'Encode', 'English', 'Errno', 'Exporter', 'Fcntl',
  'File::Basename', 'File::Copy', 'File::Find', 'File::Path', 'File::Spec', 'File::Spec::Functions', 'File::Temp', 'File::stat',
  'FindBin', 'Getopt::Long', 'Getopt::Std', 'HTTP::Tiny', 'IO::File', 'IO::Handle', 'IO::Select', 'IO::Socket', 'IO::Socket::INET',
  'IPC::Open2', 'IPC::Open3', 'JSON::PP', 'List::Util', 'MIME::Base64', 'POSIX', 'Scalar::Util', 'Socket', 'Storable',
  'Sys::Hostname', 'Term::ANSIColor', 'Text::ParseWords', 'Text::Wrap', 'Time::HiRes', 'Time::Local', 'Time::Piece',
]);

/** CPAN modules and the perlPackages attribute that provides them. */
export const PERL_PACKAGES: Readonly<Record<string, string>> = {
  JSON: 'JSON',
  'LWP::UserAgent': 'LWP',
  'LWP::Simple': 'LWP',
  'IPC::Run': 'IPCRun',
  'Try::Tiny': 'TryTiny',
  'Text::CSV': 'TextCSV',
  DateTime: 'DateTime',
};

/** Programs a script may call by name, and the package whose bin/ has them. */
export const SCRIPT_PROGRAMS: Readonly<Record<string, readonly string[]>> = {
  rsync: ['rsync'],
  ssh: ['openssh'],
  scp: ['openssh'],
  curl: ['curl'],
  wget: ['wget'],
  gzip: ['gzip'],
  tar: ['gnutar'],
};
