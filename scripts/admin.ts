// `npx tsx scripts/admin.ts`: users and API tokens from the command line, against DATABASE_URL (or the
// embedded PGlite database under .data/, while claimflow is not running: it can be open in one process only).
//
//   user create --id jane --name "Jane Doe" --role BILLER [--practices org-a,org-b | '*'] [--skills a,b] [--payer-groups MEDICARE,COMMERCIAL]
//               [--email jane@example.org]   (single sign-on links the identity with this verified e-mail on its first sign-in)
//   user create --id availity --name "Availity" --role CLEARINGHOUSE --payers payer-blue-peak,payer-unity-mutual
//   user list
//   user deactivate --id jane
//   user password --id jane        reads the new password from standard input (asked twice, unechoed, on a terminal)
//   token create --user jane --name laptop [--expires-days 90]     prints the token once
//   token list --user jane
//   token revoke --id TK...
import { parseArgs } from 'node:util';
import { createUser, issueToken, revokeToken, setPassword, tokenView, updateUser } from '../api/auth/accounts';
import { ApiError, parseInput } from '../api/http/errors';
import { createTokenBody, createUserBody } from '../api/auth/schemas';
import { loadConfig, showStacks } from '../infra/config';
import { openDatabase } from '../infra/db';
import { describeError, lockHolder, StartupError } from '../infra/process';

/** Who the audit log names for what this command does. */
const ACTOR = 'admin-cli';

const USAGE = `usage:
  admin.ts user create --id <id> --name <name> --role CODER|BILLER|SUPERVISOR|ADMIN [--practices <practice id>,... or *]
           [--skills a,b] [--payer-groups G1,G2] [--email <address>]   (--practices may be left out when there is one practice)
  admin.ts user create --id <id> --name <name> --role CLEARINGHOUSE --payers <payer id>,... (or * for every payer)
  admin.ts user create --id <id> --name <name> --role EHR --practices <practice id>,...   (an EHR: /fhir only, for these practices)
  admin.ts user list
  admin.ts user deactivate --id <id>
  admin.ts user password --id <id>          (the password from standard input: never on the command line, where ps shows it)
  admin.ts token create --user <id> --name <name> [--expires-days N]
  admin.ts token list --user <id>
  admin.ts token revoke --id <token id>`;

const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

async function main(argv: string[]): Promise<void> {
  const [noun, verb, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      skills: { type: 'string' },
      'payer-groups': { type: 'string' },
      payers: { type: 'string' },
      practices: { type: 'string' },
      user: { type: 'string' },
      'expires-days': { type: 'string' },
      email: { type: 'string' },
    },
    strict: true,
  });
  const command = `${noun ?? ''} ${verb ?? ''}`;
  const known = ['user create', 'user list', 'user deactivate', 'user password', 'token create', 'token list', 'token revoke'];
  if (!known.includes(command)) throw new StartupError(USAGE);

  const config = loadConfig();
  if (config.databaseUrl.startsWith('pglite:')) {
    const holder = lockHolder(config.dataDir);
    if (holder !== undefined) {
      throw new StartupError(`${config.dataDir} is in use by claimflow (pid ${holder}); stop it, or use the admin API (/api/admin)`);
    }
  }
  const db = await openDatabase(config.databaseUrl);
  try {
    const { prisma } = db;
    switch (command) {
      case 'user create': {
        const body = parseInput(createUserBody, {
          id: values.id,
          name: values.name,
          role: values.role?.toUpperCase(),
          skills: list(values.skills),
          payerGroups: list(values['payer-groups']),
          payerIds: list(values.payers),
          organizationIds: list(values.practices),
          email: values.email,
        });
        const user = await createUser(prisma, body, ACTOR);
        console.log(`created user ${user.id} (${user.role})`);
        break;
      }
      case 'user list': {
        const users = await prisma.user.findMany({
          orderBy: { id: 'asc' },
          include: { _count: { select: { tokens: { where: { revokedAt: null } } } } },
        });
        for (const u of users) {
          const extras = [
            u.skills.length ? `skills ${u.skills.join(',')}` : '',
            u.payerGroups.length ? `payer groups ${u.payerGroups.join(',')}` : '',
            u.payerIds.length ? `sends for ${u.payerIds.join(',')}` : '',
            u.organizationIds.length ? `practices ${u.organizationIds.join(',')}` : '',
          ]
            .filter(Boolean)
            .join('; ');
          console.log(
            `${u.id}\t${u.role}\t${u.active ? 'active' : 'inactive'}\t${u._count.tokens} token(s)\t${u.name}${extras ? `\t${extras}` : ''}`,
          );
        }
        break;
      }
      case 'user deactivate': {
        if (!values.id) throw new StartupError('user deactivate needs --id');
        await updateUser(prisma, values.id, { active: false }, ACTOR);
        console.log(`deactivated ${values.id}: their tokens stop working`);
        break;
      }
      case 'user password': {
        if (!values.id) throw new StartupError('user password needs --id');
        const password = await readPassword(`new password for ${values.id}: `);
        const done = await setPassword(prisma, values.id, password, ACTOR);
        console.log(
          `password set for ${values.id}${done.sessionsEnded ? `; ${done.sessionsEnded} session(s) ended` : ''}${done.unlocked ? '; sign-in unlocked' : ''}`,
        );
        break;
      }
      case 'token create': {
        if (!values.user) throw new StartupError('token create needs --user');
        const body = parseInput(createTokenBody, {
          name: values.name,
          expiresInDays: values['expires-days'] === undefined ? undefined : Number(values['expires-days']),
        });
        const { token, record } = await issueToken(prisma, values.user, body, ACTOR);
        console.error(
          `token ${record.id} for ${record.userId} ("${record.name}")${record.expiresAt ? `, expires ${record.expiresAt.toISOString()}` : ''}.`,
        );
        console.error('It is shown this once; only its hash is stored. Send it as: Authorization: Bearer <token>');
        console.log(token);
        break;
      }
      case 'token list': {
        if (!values.user) throw new StartupError('token list needs --user');
        const tokens = await prisma.apiToken.findMany({ where: { userId: values.user }, orderBy: { createdAt: 'asc' } });
        for (const t of tokens.map(tokenView)) {
          const state = t.revokedAt ? `revoked ${t.revokedAt}` : t.expiresAt ? `expires ${t.expiresAt}` : 'no expiry';
          console.log(`${t.id}\t${t.name}\tcreated ${t.createdAt}\tlast used ${t.lastUsedAt ?? 'never'}\t${state}`);
        }
        break;
      }
      case 'token revoke': {
        if (!values.id) throw new StartupError('token revoke needs --id');
        const t = await revokeToken(prisma, values.id, ACTOR);
        console.log(`revoked ${t.id} (${t.userId}, "${t.name}") at ${t.revokedAt?.toISOString()}`);
        break;
      }
    }
  } finally {
    await db.close();
  }
}

/**
 * A password from standard input: the first line when it is a file or a pipe; on a terminal, typed twice without
 * echo. Taken as typed (no trimming): spaces may belong to it.
 */
async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.split(/\r?\n/)[0];
  }
  const first = await typeUnechoed(prompt);
  if ((await typeUnechoed('again: ')) !== first) throw new StartupError('the two passwords differ; nothing was changed');
  return first;
}

function typeUnechoed(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(typed);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new StartupError('cancelled; nothing was changed'));
          return;
        }
        typed = ch === '\u007f' || ch === '\b' ? [...typed].slice(0, -1).join('') : typed + ch;
      }
    };
    stdin.on('data', onData);
  });
}

// Exits at once when done: the migration step at open leaves an idle connection pool that would hold the
// process for its idle timeout.
main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    const message = err instanceof ApiError ? `${err.message}${err.field ? ` (${err.field})` : ''}` : describeError(err);
    console.error(`claimflow admin: ${message}`);
    if (showStacks() && err instanceof Error) console.error(err.stack);
    process.exit(1);
  },
);
