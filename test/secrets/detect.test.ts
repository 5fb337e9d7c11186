import { describe, expect, it } from 'vitest';
import { assignmentSpans, commandSpans, isSecretAssignment, looksRandom, printedPasswords, scanFormats, scriptSpans } from '../../src/passes/secrets/detect.ts';

/** The secrets a detector finds, as the text they cover. */
const texts = (text: string, spans: readonly { start: number; end: number }[]) => spans.map((s) => text.slice(s.start, s.end));

describe('secret names', () => {
  it.each([
    ['DB_PASSWORD', 'hunter2'],
    ['POSTGRES_PASSWORD', 'x'],
    ['MYSQL_ROOT_PASSWD', 'x'],
    ['GITHUB_TOKEN', 'x'],
    ['AWS_SECRET_ACCESS_KEY', 'x'],
    ['API_KEY', 'x'],
    ['apikey', 'x'],
    ['PRIVATE_KEY', 'x'],
    ['SMTP_PASS', 'x'],
    ['DB_PWD', 'x'],
    ['CLIENT_SECRET', 'x'],
    ['smb_password', 'secret'],
  ])('%s=%s is a secret', (name, value) => expect(isSecretAssignment(name, value)).toBe(true));

  it.each([
    ['POSTGRES_PASSWORD_FILE', '/run/secrets/db'],
    ['PASSWORD_MIN_LENGTH', '12'],
    ['TOKEN_TTL', '3600'],
    ['AUTH_TOKEN_ENABLED', 'true'],
    ['PASSWORD', ''],
    ['PASSWORD', '$DB_PASS'],
    ['PASSWORD', '${DB_PASS}'],
    ['PASSWORD', '/run/secrets/pw'],
    ['PWD', '/srv'],
    ['TZ', 'Europe/Zurich'],
    ['SECRET_NAME', 'db'],
  ])('%s=%s is not', (name, value) => expect(isSecretAssignment(name, value)).toBe(false));
});

describe('credential formats', () => {
  const pem = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
  it.each([
    ['PEM private key', `key: |\n${pem}\n`, pem],
    ['PEM private key', 'x -----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY----- y', '-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----'],
    ['AWS access key id', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS secret access key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['GitHub token', 'token ghp_0123456789abcdefghijABCDEFGHIJ012345 x', 'ghp_0123456789abcdefghijABCDEFGHIJ012345'],
    ['GitLab token', 'glpat-abcdefghij0123456789', 'glpat-abcdefghij0123456789'],
    ['Slack token', 'xoxb-1234567890-abcdefghij', 'xoxb-1234567890-abcdefghij'],
    ['Google API key', 'key=AIzaSyA1234567890abcdefghijklmnopqrstuv', 'AIzaSyA1234567890abcdefghijklmnopqrstuv'],
    ['Azure storage account key', `AccountName=x;AccountKey=${'a'.repeat(86)}==;`, `${'a'.repeat(86)}==`],
    ['Stripe key', 'sk_live_0123456789abcdefghijklmn', 'sk_live_0123456789abcdefghijklmn'],
    ['password in a URL', 'postgres://app:s3cr3t@db:5432/app', 's3cr3t'],
    ['Authorization header', 'curl -H "Authorization: Bearer abcdef0123456789" x', 'abcdef0123456789'],
    ['crypt(3) password hash', 'passwd: $6$qLkwsaXH$5Xv0PbODvkJ5AKgSXVcD1vXGQXJ8uSSpRK3BsyhkWq2V3Y8BnVb6oC9L8HQFhzjm0Sm2vl5MfKb1tRPrn3cC0/', '$6$qLkwsaXH$5Xv0PbODvkJ5AKgSXVcD1vXGQXJ8uSSpRK3BsyhkWq2V3Y8BnVb6oC9L8HQFhzjm0Sm2vl5MfKb1tRPrn3cC0/'],
    ['bcrypt password hash', 'admin:$2y$05$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', '$2y$05$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'],
    ['htpasswd hash', 'traefik.http.middlewares.auth.basicauth.users=admin:$$apr1$$H6uskkkW$$IgXLP6ewTrSuBkTrqE8wj/', '$$apr1$$H6uskkkW$$IgXLP6ewTrSuBkTrqE8wj/'],
  ])('finds a %s', (what, text, secret) => {
    const spans = scanFormats(text);
    expect(texts(text, spans)).toEqual([secret]);
    expect(spans[0]!.what).toBe(what);
  });

  it('leaves public material and ordinary text alone', () => {
    expect(scanFormats('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).toEqual([]);
    expect(scanFormats('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3xJ0tGJYfsrhLAo8aHeD0qLyqGx7U8mRWv2QyRtHb me@host')).toEqual([]);
    expect(scanFormats('https://example.com/path?x=1 and ftp://host/file')).toEqual([]);
    expect(scanFormats('https://user:$PASSWORD@host/')).toEqual([]);
  });
});

describe('command lines', () => {
  const found = (line: string) => {
    const words = line.split(' ');
    return commandSpans(words).map((s) => words[s.word]!.slice(s.start, s.end));
  };
  it.each([
    ['docker run -e DB_PASSWORD=hunter2 postgres', ['hunter2']],
    ['docker run --env=API_TOKEN=abc123 x', ['abc123']],
    ['docker run -eSECRET_KEY=k x', ['k']],
    ['redis-server --requirepass s3cret', ['s3cret']],
    ['app --db-password=s3cret --password-file=/run/pw', ['s3cret']],
    ['mysql -uroot -pS3cret db', ['S3cret']],
    ['curl -u admin:S3cret https://x', ['S3cret']],
    ['curl --user=admin:S3cret https://x', ['S3cret']],
    ['sshpass -p S3cret ssh host', ['S3cret']],
    ['docker login -u me -p S3cret registry', ['S3cret']],
    ['mount -o username=u,password=S3cret //srv/share /mnt', ['S3cret']],
    ['env GITHUB_TOKEN=ghp_x prog', ['ghp_x']],
    ['htpasswd -b /etc/htpasswd admin S3cret', ['S3cret']],
  ])('%s', (line, secrets) => expect(found(line)).toEqual(secrets));

  it.each([
    ['docker run -e TZ=UTC -e PASSWORD_FILE=/run/secrets/pw x'],
    ['docker login --password-stdin -u me registry'],
    ['docker build --secret id=npm,src=/root/.npmrc .'],
    ['pg_dump --no-password db'],
    ['psql --password -h host'],
  ])('%s: nothing', (line) => expect(found(line)).toEqual([]));
});

describe('piped passwords (the post, N5)', () => {
  it('finds the password echoed into smbpasswd, every time it is echoed', () => {
    const script = 'echo "secret\nsecret\n" | tee - | smbpasswd -a -s michael';
    expect(texts(script, scriptSpans(script))).toEqual(['secret', 'secret']);
  });

  it('finds a password held in a variable the echo prints', () => {
    const script = 'smb_password="s3cret"\necho -e "$smb_password\\n$smb_password\\n" | smbpasswd -a -s michael';
    expect(texts(script, scriptSpans(script))).toEqual(['s3cret']);
  });

  it('finds chpasswd passwords after the user name, and passwords of a group piped as a whole', () => {
    const chpasswd = "echo 'root:Toor123' | chpasswd";
    expect(texts(chpasswd, scriptSpans(chpasswd))).toEqual(['Toor123']);
    const group = '(echo pw1x; echo pw1x) | smbpasswd -a -s u';
    expect(texts(group, scriptSpans(group))).toEqual(['pw1x', 'pw1x']);
  });

  it('leaves echoes that do not feed a password reader alone', () => {
    for (const script of ['echo hello; smbpasswd -a -s u', 'echo hi && passwd --stdin u', 'echo x | grep x', '(cat /run/pw; cat /run/pw) | smbpasswd -a -s michael']) {
      expect(scriptSpans(script), script).toEqual([]);
    }
  });

  it('reads what a printed text gives a reader', () => {
    expect(printedPasswords('pw\\npw\\n', 'lines')).toEqual(['pw']);
    expect(printedPasswords('a:x1\nb:y2', 'user-colon')).toEqual(['x1', 'y2']);
  });
});

describe('assignments and random-looking values', () => {
  it('finds secrets in option lists and after flags, with where `=` is', () => {
    const w = '--env=DB_PASSWORD=hunter2';
    const [s] = assignmentSpans(w);
    expect(w.slice(s!.start, s!.end)).toBe('hunter2');
    expect(w[s!.equals!]).toBe('=');
    expect(s!.name).toBe('DB_PASSWORD');
  });

  it('calls long random tokens random, words and numbers not', () => {
    expect(looksRandom('9f8a7d6c5b4e3f2a1b0c9d8e7f6a5b4c')).toBe(true);
    expect(looksRandom('Zm9vYmFyYmF6cXV4cXV1eA==')).toBe(true);
    expect(looksRandom('europe-west-zurich-one')).toBe(false);
    expect(looksRandom('12345678901234567890')).toBe(false);
    expect(looksRandom('short')).toBe(false);
    // Paths and names are words joined by separators, however long.
    expect(looksRandom('/mnt/user/data/photos/library')).toBe(false);
    expect(looksRandom('/mnt/user/appdata/immich/postgres')).toBe(false);
    expect(looksRandom('America/Los_Angeles')).toBe(false);
    expect(looksRandom('/srv/Zx9Qm2Lp7Vb4Nc8Kd1Tg5Yh3')).toBe(true);
  });
});
