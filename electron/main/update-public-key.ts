/**
 * The Ed25519 public keys an update must be signed with (update packages and update-server manifests). Shipped
 * inside app.asar, whose integrity the embedded-asar-integrity fuse protects, so a package cannot bring its own
 * key. The private half never enters the repository: it is the release manager's, given to the release workflow
 * as the UPDATE_SIGNING_KEY secret. `npm run update:keygen -- --out <file>` makes a new pair and rewrites this
 * file; keep the old key listed for one release when rotating, so installed apps accept the next update.
 *
 * The key below was made during development (id 8a6f4175984eeecf); make the release key before the first
 * release that ships to sites.
 */
export const UPDATE_PUBLIC_KEYS: readonly string[] = [
  `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA7eqRM3BRGpj7MFbvxD60dHs6FN6Dje//fGQX68/8OMg=
-----END PUBLIC KEY-----
`,
];
