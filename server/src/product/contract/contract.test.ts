// The contract's own rules: strict views with no defaults anywhere, routes whose parameters all
// have a schema and whose method+path are unique, and constants that agree with plugin.json.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as z from 'zod/mini';
import * as contract from './index';

const ROUTE_TABLES = { incidents: contract.incidentRoutes, pick: contract.pickRoutes, rfc: contract.rfcRoutes, guilds: contract.guildRoutes, infra: contract.infraRoutes };
const routes = Object.entries(ROUTE_TABLES).flatMap(([feature, table]) => Object.entries(table).map(([name, r]) => ({ name: `${feature}.${name}`, route: r as contract.Route })));

type Def = { type: string; shape?: Record<string, z.core.$ZodType>; catchall?: z.core.$ZodType; innerType?: z.core.$ZodType; element?: z.core.$ZodType; options?: z.core.$ZodType[]; in?: z.core.$ZodType; out?: z.core.$ZodType };
const defOf = (s: z.core.$ZodType): Def => s._zod.def;

/** Every way a schema could accept a missing or malformed value and carry on, with its path. */
function lenience(schema: z.core.$ZodType, path: string, views: boolean): string[] {
  const def = defOf(schema);
  const here = (what: string) => [`${path || '(root)'}: ${what}`];
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'catch':
      return here(def.type);
    case 'optional':
      // Views never omit a field (absent = null); request bodies may.
      return views ? here('optional') : lenience(def.innerType!, path, views);
    case 'object':
      return [
        ...(def.catchall && defOf(def.catchall).type === 'never' ? [] : here('not strict')),
        ...Object.entries(def.shape!).flatMap(([k, v]) => lenience(v, `${path}.${k}`, views)),
      ];
    case 'nullable':
      return lenience(def.innerType!, path, views);
    case 'array':
      return lenience(def.element!, `${path}[]`, views);
    case 'union':
      return def.options!.flatMap((o, i) => lenience(o, `${path}|${i}`, views));
    case 'pipe':
      return [...lenience(def.in!, path, views), ...lenience(def.out!, path, views)];
    default:
      return [];
  }
}

describe('contract', () => {
  it('has the id of plugin.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../../../plugin.json', import.meta.url), 'utf8')) as { id: string };
    assert.equal(contract.PLUGIN_ID, manifest.id);
    assert.equal(contract.API_BASE, `/plugins/${manifest.id}/api/v1`);
  });

  it('answers and event payloads are strict objects without defaults, catches or optional fields', () => {
    const problems = [
      ...routes.flatMap(({ name, route }) => lenience(route.answer, name, true)),
      ...Object.entries(contract.EVENT_PAYLOADS).flatMap(([event, schema]) => lenience(schema, event, true)),
      ...lenience(contract.cardData, 'cardData', true),
      ...lenience(contract.apiErrorSchema, 'error', true),
    ];
    assert.deepEqual(problems, []);
  });

  it('bodies and queries are strict and carry no defaults (the server owns defaults)', () => {
    const problems = routes.flatMap(({ name, route }) => [
      ...(route.body ? lenience(route.body, `${name} body`, false) : []),
      ...(route.query ? lenience(route.query, `${name} query`, false) : []),
    ]);
    assert.deepEqual(problems, []);
  });

  it('the lenience check itself finds a default, an optional view field and a loose object', () => {
    const loose = z.object({ a: z._default(z.string(), 'x'), b: z.optional(z.number()) });
    assert.deepEqual(lenience(loose, 'v', true), ['v: not strict', 'v.a: default', 'v.b: optional']);
  });

  it('every path parameter has a schema, and method + path are unique', () => {
    for (const { name, route } of routes) assert.doesNotThrow(() => contract.pathParamsSchema(route.path), name);
    const keys = routes.map(({ route }) => `${route.method} ${route.path}`);
    assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), []);
  });

  it('GET and DELETE take no body; creations answer 201', () => {
    for (const { name, route } of routes) {
      if (route.method === 'GET' || route.method === 'DELETE') assert.equal(route.body, null, name);
      if (route.status === 201) assert.equal(route.method, 'POST', name);
    }
  });

  it('fills paths, encoding each segment', () => {
    assert.equal(contract.fillPath(contract.rfcRoutes.resolveConcern.path, { teamId: 'a/b', number: 7, concernId: 2 }), '/teams/a%2Fb/rfcs/7/concerns/2/resolve');
    // A template only known at run time (string) takes any params: the missing one is caught then.
    const template: string = '/teams/:teamId';
    assert.throws(() => contract.fillPath(template, {}), /no value for :teamId/);
  });

  it('parses path parameters and queries as they arrive (text)', () => {
    const id = 'a'.repeat(26);
    assert.deepEqual(z.parse(contract.pathParamsSchema(contract.incidentRoutes.completeFollowup.path), { teamId: id, number: '42', n: '3' }), { teamId: id, number: 42, n: 3 });
    assert.equal(z.safeParse(contract.pathParamsSchema(contract.incidentRoutes.get.path), { teamId: id, number: '4x' }).success, false);
    assert.deepEqual(z.parse(contract.incidentListQuery, { severity: '2', per_page: '10', state: 'active' }), { severity: 2, per_page: 10, state: 'active' });
    assert.equal(z.safeParse(contract.incidentListQuery, { severity: '5' }).success, false);
    assert.equal(z.safeParse(contract.incidentListQuery, { team_id: id }).success, false, 'the team is in the path, never the query');
    assert.deepEqual(z.parse(contract.rfcListQuery, { mine: 'true' }), { mine: true });
  });

  it('names things as the server always has', () => {
    assert.equal(contract.incidentReference(42), 'INC-042');
    assert.equal(contract.rfcReference(7), 'RFC-007');
    assert.equal(contract.ideaReference(12), 'IDEA-012');
    assert.equal(contract.ideaReference(1234), 'IDEA-1234');
    assert.equal(contract.severityName(1), 'SEV1');
    assert.equal(contract.wsEventName('rfc_changed'), 'custom_infra-ops_rfc_changed');
    assert.deepEqual(Object.keys(contract.RFC_STATUS_LABELS), [...contract.RFC_STATUSES]);
    assert.deepEqual(Object.keys(contract.QUADRANT_LABELS), [...contract.QUADRANTS]);
    assert.deepEqual(Object.keys(contract.MILESTONE_LABELS), [...contract.MILESTONES]);
    assert.deepEqual(Object.keys(contract.WEEKDAY_LABELS), [...contract.WEEKDAYS]);
  });
});
