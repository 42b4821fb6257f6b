#!/usr/bin/env node
import 'reflect-metadata';
import { Command, CommanderError, Option } from 'commander';
import { loadAppConfig } from '../common/config/app-config.js';
import { readPackageInfo } from '../common/config/package-info.js';
import { CliOutput, EXIT } from './cli-output.js';

const EXIT_CODES_HELP = `
Exit codes: 0 ok, 1 failed, 2 usage (unknown command or option), 3 invalid input (nothing written).
Database: DATABASE_URL, else the embedded PostgreSQL of SWITCHBOARD_DATA_DIR (default .data): the one a
running server started, or one started for the command. Progress goes to stderr; --json prints one
JSON document on stdout.`;

/**
 * `switchboard`: the operations an operator runs from a terminal or a deployment script, on the
 * server's own services (same validation, same audit, as `cli:<user>`).
 */
function program(): Command {
  const root = new Command('switchboard')
    .description('Switchboard operations: migrations, profiles, export and import, backup and restore, tokens, checks.')
    .version(readPackageInfo().version)
    .option('--json', 'print the result as one JSON document')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .showHelpAfterError('(run switchboard --help for the commands)');
  const run = (action: (out: CliOutput) => Promise<void>) => async () => action(new CliOutput(!!root.opts().json));
  const config = loadAppConfig();
  // Loaded when a command runs: --help and usage errors answer at once.
  const commands = () => import('./cli-commands.js');

  root
    .command('serve')
    .description('run the service, as npm run start:prod does (migrates an embedded database first); until SIGINT or SIGTERM')
    .action(async () => {
      keepRunning = true;
      const { serve, failedToStart } = await import('../serve.js');
      await serve().catch(failedToStart);
    });
  root.command('migrate').description('apply the pending migrations, with progress and a summary').action(run(async (out) => (await commands()).migrate(config, out)));
  root.command('migrate:status').description('list the migrations, applied and pending').action(run(async (out) => (await commands()).migrateStatus(config, out)));
  const profiles = root.command('profiles').description('profiles: list, delete');
  profiles
    .command('list')
    .description('list every profile: id, name, default, last update')
    .action(run(async (out) => (await commands()).listProfiles(config, out)));
  profiles
    .command('delete')
    .description('delete profiles by name, each as the API would (never the default, nor one in use); exit 1 when any is kept')
    .argument('<names...>', 'profile names')
    .action(async (names: string[]) => (await commands()).deleteProfiles(config, new CliOutput(!!root.opts().json), names));
  root
    .command('export')
    .description('write a profile (default: the default one), or every profile, as the API exports them')
    .option('--profile <name>', 'the profile to export, by name')
    .option('--all', 'every profile, as a JSON array of documents')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (options: { profile?: string; all?: boolean; output?: string }) => (await commands()).exportProfiles(config, new CliOutput(!!root.opts().json), options));
  root
    .command('import')
    .description('create profiles from a file export wrote, checked as the API checks them')
    .argument('<file>', 'a document of one profile, or the array export --all writes; - reads stdin')
    .option('--rename <name>', 'import the one profile under this name')
    .addOption(new Option('--dry-run', 'check everything, write nothing'))
    .action(async (file: string, options: { rename?: string; dryRun?: boolean }) => (await commands()).importProfiles(config, new CliOutput(!!root.opts().json), file, options));
  root
    .command('import-yaml')
    .description("the slide generator's config.yaml, mlflow.yaml and prompts.yaml of a folder as a new profile")
    .argument('<dir>', 'the folder holding them (those missing take the built-in defaults)')
    .option('--name <name>', 'the new profile\'s name', 'migrated_from_yaml')
    .option('--set-default', 'make it the default profile')
    .addOption(new Option('--dry-run', 'check everything, write nothing'))
    .action(async (dir: string, options: { name: string; setDefault?: boolean; dryRun?: boolean }) =>
      (await commands()).importLegacyYaml(config, new CliOutput(!!root.opts().json), dir, options),
    );
  const backupCommands = () => import('./cli-backup.js');
  root
    .command('backup')
    .description('everything (profiles, domains, prompt registry, sessions, token metadata, the whole history) to one checksummed file')
    .requiredOption('-o, --output <file>', 'the file to write (gzip of JSON lines)')
    .action(async (options: { output: string }) => (await backupCommands()).backup(config, new CliOutput(!!root.opts().json), options.output));
  root
    .command('restore')
    .description('replace the database with a backup, exactly (ids, versions, history), in one transaction')
    .argument('<file>', 'a file backup (or GET /api/admin/backup) wrote; - reads stdin')
    .option('--force', 'replace what a database that is not empty holds (else refused, exit 1)')
    .addOption(new Option('--dry-run', 'read and check the whole file and whether the database would take it; write nothing'))
    .action(async (file: string, options: { force?: boolean; dryRun?: boolean }) => (await backupCommands()).restore(config, new CliOutput(!!root.opts().json), file, options));
  const tokens = root.command('tokens').description('API tokens: create, list, revoke');
  const tokenCommands = () => import('./cli-tokens.js');
  tokens
    .command('create')
    .description('create a token and print its secret, this once')
    .requiredOption('--name <name>', 'who or what uses it (recorded as changed_by)')
    .requiredOption('--role <role>', 'viewer, agent, editor or admin')
    .action(async (options: { name: string; role: string }) => (await tokenCommands()).createToken(config, new CliOutput(!!root.opts().json), options));
  tokens.command('list').description('every token: name, role, prefix, revoked or active').action(run(async (out) => (await tokenCommands()).listTokens(config, out)));
  tokens
    .command('revoke')
    .description('revoke a token: every instance refuses it within milliseconds')
    .argument('<id>', 'the token id (see tokens list)')
    .action(async (id: string) => (await tokenCommands()).revokeToken(config, new CliOutput(!!root.opts().json), id));
  root.command('doctor').description('check the database, migrations, LISTEN/NOTIFY, environment overrides and the secret key').action(run(async (out) => (await commands()).doctor(config, out)));
  return root;
}

/** Set by `serve`: the process stays up after the command returns. */
let keepRunning = false;

async function main(): Promise<void> {
  let cli: Command | undefined;
  try {
    // Inside the try: a bad environment variable (PORT=abc) is a failure reported like any other.
    cli = program();
    await cli.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    process.exitCode = new CliOutput(cli ? !!cli.opts().json : process.argv.includes('--json')).failure(error);
  }
}

await main();
// Pools and timers of the services are closed; anything left (a stuck socket) must not keep a script waiting.
if (!keepRunning) setTimeout(() => process.exit(), 1000).unref();
