import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CommandArgs } from '../../plugin/model/types';
import { CommandRouter, ephemeral, tokenize, type CommandInvocation } from './commands';
import { UserError } from './errors';

const args = (command: string): CommandArgs => ({ UserId: 'u', ChannelId: 'c', TeamId: 't', Command: command });

function router(seen: CommandInvocation[], errors: unknown[] = []): CommandRouter {
  const r = new CommandRouter((err) => errors.push(err));
  r.register({
    trigger: 'incident',
    description: 'Incidents',
    subcommands: [
      { name: 'declare', usage: '[title]', help: 'Declare', valueFlags: ['severity', 'type'], booleanFlags: ['private'], run: async (i) => (seen.push(i), ephemeral('ok')) },
      {
        name: 'timeline',
        usage: '',
        help: 'Show the timeline',
        run: async (i) => (seen.push(i), ephemeral('timeline')),
        subcommands: [{ name: 'add', usage: '<text>', help: 'Add an entry', run: async (i) => (seen.push(i), ephemeral('added')) }],
      },
      { name: 'boom', usage: '', help: 'Fails', run: async () => { throw new Error('secret stack'); } },
      { name: 'bad', usage: '<n>', help: 'User error', run: async () => { throw UserError.badRequest('n must be a number', '/incident bad <n>'); } },
    ],
  });
  return r;
}

test('tokenize honours straight and smart quotes and escapes', () => {
  assert.deepEqual(tokenize(`a "b c" 'd e' “f g” "h\\"i"`).map((t) => t.text), ['a', 'b c', 'd e', 'f g', 'h"i']);
});

test('apostrophes and unmatched quotes are ordinary characters', () => {
  const words = (text: string): string[] => tokenize(text).map((t) => t.text);
  assert.deepEqual(words("We're rolling back the vault change"), ["We're", 'rolling', 'back', 'the', 'vault', 'change']);
  assert.deepEqual(words("Can't reach Bob's DNS box"), ["Can't", 'reach', "Bob's", 'DNS', 'box']);
  assert.deepEqual(words('a "b'), ['a', '"b']);
  assert.deepEqual(words("'We're rolling' now"), ["We're rolling", 'now']);
  assert.deepEqual(words('“it’s fine” ok'), ['it’s fine', 'ok']);
});

test('one flag grammar: value flags take every word up to the next flag; undeclared flags are refused', async () => {
  const seen: CommandInvocation[] = [];
  const r = router(seen);
  await r.execute(args("/incident declare Can't reach DNS --type Data loss --severity 2 --private"));
  assert.equal(seen[0]!.text, "Can't reach DNS");
  assert.equal(seen[0]!.flags.get('type'), 'Data loss');
  assert.equal(seen[0]!.flags.get('severity'), '2');
  assert.equal(seen[0]!.flags.get('private'), true);
  assert.equal(seen[0]!.flags.get('type'), 'Data loss');
  await r.execute(args('/incident declare "DB --latency" --type=Outage'));
  assert.equal(seen[1]!.text, 'DB --latency', 'a quoted group keeps its dashes and loses its quotes');
  assert.equal(seen[1]!.flags.get('type'), 'Outage');
  const unknown = await r.execute(args('/incident declare DB down --sev 1'));
  assert.match(unknown.Text!, /Unknown option --sev; this command knows --severity, --type, --private/);
  await r.execute(args('/incident timeline add ran it with --force and it worked'));
  assert.equal(seen[2]!.text, 'ran it with --force and it worked', 'a subcommand without flags keeps --words as text');
  assert.equal(seen.length, 3);
});

test('routes nested subcommands, splits flags, keeps the raw rest', async () => {
  const seen: CommandInvocation[] = [];
  const r = router(seen);
  await r.execute(args('/incident declare  DB  "latency high" --severity 2 --private'));
  assert.deepEqual(seen[0]!.positional, ['DB', 'latency high']);
  assert.equal(seen[0]!.flags.get('severity'), '2');
  assert.equal(seen[0]!.flags.get('private'), true);
  assert.equal(seen[0]!.rest, 'DB  "latency high" --severity 2 --private');
  await r.execute(args('/incident timeline add Rolled back; "v2" is out'));
  assert.equal(seen[1]!.path, '/incident timeline add');
  assert.equal(seen[1]!.rest, 'Rolled back; "v2" is out');
  await r.execute(args('/incident TIMELINE'));
  assert.equal(seen[2]!.path, '/incident timeline');
});

test('help, unknown subcommands, user errors with usage, internal errors hidden', async () => {
  const errors: unknown[] = [];
  const r = router([], errors);
  assert.match((await r.execute(args('/incident'))).Text!, /- `\/incident timeline add <text>` — Add an entry/);
  assert.match((await r.execute(args('/incident declare help'))).Text!, /`\/incident declare \[title\]` — Declare/);
  assert.match((await r.execute(args('/incident frobnicate'))).Text!, /Unknown subcommand "frobnicate"/);
  assert.match((await r.execute(args('/incident declare --severity'))).Text!, /--severity needs a value/);
  const bad = await r.execute(args('/incident bad x'));
  assert.equal(bad.ResponseType, 'ephemeral');
  assert.match(bad.Text!, /\*\*Error:\*\* n must be a number\nUsage: `\/incident bad <n>`/);
  const boom = await r.execute(args('/incident boom'));
  assert.doesNotMatch(boom.Text!, /secret/);
  assert.equal(errors.length, 1);
  assert.equal((await r.execute(args('/incident declare "unclosed'))).Text, 'ok', 'an unmatched quote is text');
});

test('autocomplete mirrors the command tree', () => {
  const r = router([]);
  const data = r.autocomplete(r.commands[0]!);
  assert.equal(data.Trigger, 'incident');
  const timeline = data.SubCommands!.find((s) => s.Trigger === 'timeline');
  assert.deepEqual(timeline!.SubCommands!.map((s) => s.Trigger), ['add']);
  assert.ok(data.SubCommands!.some((s) => s.Trigger === 'help'));
});

test('a subcommand that takes no arguments refuses stray words, naming its subcommands', async () => {
  const seen: CommandInvocation[] = [];
  const r = new CommandRouter(() => {});
  r.register({
    trigger: 'incident',
    description: 'Incidents',
    subcommands: [
      {
        name: 'timeline',
        usage: '',
        help: 'Show the timeline',
        noArguments: true,
        run: async (i) => (seen.push(i), ephemeral('timeline')),
        subcommands: [{ name: 'add', usage: '<text>', help: 'Add an entry', run: async (i) => (seen.push(i), ephemeral('added')) }],
      },
      { name: 'info', usage: '', help: 'Show', noArguments: true, run: async (i) => (seen.push(i), ephemeral('info')) },
    ],
  });
  assert.equal((await r.execute(args('/incident timeline'))).Text, 'timeline');
  assert.equal((await r.execute(args('/incident timeline add x'))).Text, 'added');
  assert.equal(
    (await r.execute(args('/incident timeline ad x'))).Text,
    '**Error:** `/incident timeline` takes no arguments; "ad" is not expected. Did you mean `/incident timeline add`?\nUsage: `/incident timeline`',
  );
  assert.equal((await r.execute(args('/incident info --verbose'))).Text, '**Error:** `/incident info` takes no arguments; "--verbose" is not expected.\nUsage: `/incident info`');
  assert.match((await r.execute(args('/incident info help'))).Text ?? '', /^`\/incident info` — Show$/, 'help still works');
  assert.equal(seen.length, 2, 'refused calls never reach the handler');
});
