/**
 * The templates every team starts with: what an infrastructure group runs. Seeded per team the
 * first time its templates are read; a team admin may edit them (a new version) or import their own.
 * Approval gates without named approvers get them when a run starts (`/run approvers`).
 */
import type { TemplateBody, TemplateItem } from './records';

const H = 60;
const DAY = 24 * H;

function item(title: string, extra: Partial<TemplateItem> = {}): TemplateItem {
  return { title, description: '', assignees: [], dueMinutes: null, command: null, approval: null, ...extra };
}
const owner = [{ role: 'owner' as const }];
const gate = (title: string, description: string, quorum: TemplateItem['approval'] = { approvers: [], quorum: { kind: 'all', n: null } }): TemplateItem =>
  item(title, { description, approval: quorum });

const base = {
  description: '',
  summary: '',
  channel: { nameTemplate: '{kind}-{name}', private: false, invite: [] },
  appliesTo: { types: [], severities: [] },
} satisfies Partial<TemplateBody>;

export const BUILT_IN_TEMPLATES: readonly TemplateBody[] = [
  {
    ...base,
    name: 'Incident (SEV1–2)',
    kind: 'incident',
    description: 'Major incident: all hands, updates every 30 minutes.',
    statusUpdateMinutes: 30,
    statusUpdatesBySeverity: true,
    appliesTo: { types: [], severities: [1, 2] },
    retrospective: ['Summary', 'Impact', 'Timeline', 'Root cause', 'What went well', 'What went badly', 'Action items'],
    checklists: [
      {
        title: 'Triage',
        items: [
          item('Confirm impact and severity', { assignees: owner, dueMinutes: 10 }),
          item('Assign scribe and comms lead', { assignees: owner, dueMinutes: 10 }),
          item('Open a bridge call and post the link', { dueMinutes: 15 }),
        ],
      },
      {
        title: 'Communicate',
        items: [
          item('Post the first status update', { assignees: owner, dueMinutes: 15 }),
          item('Notify customer support and stakeholders', { dueMinutes: 30 }),
          item('Update the status page', { dueMinutes: 30 }),
        ],
      },
      {
        title: 'Resolve',
        items: [item('Mitigate: roll back, fail over or scale'), item('Confirm recovery on dashboards'), item('Schedule the retrospective', { assignees: owner, dueMinutes: 2 * DAY })],
      },
    ],
  },
  {
    ...base,
    name: 'Incident (SEV3–4)',
    kind: 'incident',
    description: 'Minor incident: one responder, updates every 2 hours.',
    statusUpdateMinutes: 2 * H,
    statusUpdatesBySeverity: true,
    appliesTo: { types: [], severities: [3, 4] },
    retrospective: ['Summary', 'Root cause', 'Action items'],
    checklists: [
      {
        title: 'Respond',
        items: [
          item('Confirm impact and severity', { assignees: owner, dueMinutes: 30 }),
          item('Post a status update', { assignees: owner, dueMinutes: H }),
          item('Mitigate or hand over to the owning team'),
          item('File follow-ups', { assignees: owner }),
        ],
      },
    ],
  },
  {
    ...base,
    name: 'Security incident',
    kind: 'incident',
    description: 'Suspected compromise or data exposure: private channel, security leads involved.',
    statusUpdateMinutes: H,
    statusUpdatesBySeverity: true,
    channel: { nameTemplate: '{kind}-{name}', private: true, invite: [] },
    appliesTo: { types: ['security'], severities: [] },
    retrospective: ['Summary', 'Exposure', 'Timeline', 'Root cause', 'Disclosure', 'Action items'],
    checklists: [
      {
        title: 'Contain',
        items: [
          item('Preserve evidence (logs, snapshots) before changing anything', { assignees: owner, dueMinutes: 30 }),
          item('Rotate exposed credentials', { dueMinutes: 2 * H }),
          item('Isolate affected hosts or accounts', { dueMinutes: 2 * H }),
        ],
      },
      {
        title: 'Assess and disclose',
        items: [
          item('Determine the scope of data exposure', { dueMinutes: DAY }),
          gate('Security lead approves the disclosure decision', 'Whether customers or regulators must be told, and by when.'),
        ],
      },
    ],
  },
  {
    ...base,
    name: 'Product release',
    kind: 'release',
    description: 'A versioned release with QA, Security and release-manager approvals before it ships.',
    statusUpdateMinutes: null,
    retrospective: ['What shipped', 'What went well', 'What to change next time'],
    checklists: [
      {
        title: 'Prepare',
        items: [
          item('Cut the release branch', { assignees: owner, dueMinutes: H }),
          item('Write the changelog', { assignees: owner, dueMinutes: DAY }),
          item('Build release candidates', { dueMinutes: DAY }),
        ],
      },
      {
        title: 'Approve',
        items: [
          gate('QA approves the release candidate', 'Test plan passed on the release candidate; known issues listed.'),
          gate('Security approves', 'Dependency and image scans clean, or exceptions recorded.'),
          gate('Release manager approves shipping', 'The go/no-go call.', { approvers: owner, quorum: { kind: 'all', n: null } }),
        ],
      },
      {
        title: 'Ship',
        items: [item('Tag and publish', { assignees: owner }), item('Deploy to production'), item('Announce the release')],
      },
    ],
  },
  {
    ...base,
    name: 'Plugin release',
    kind: 'release',
    description: 'A Mattermost plugin release: build, test on supported servers, publish.',
    statusUpdateMinutes: null,
    retrospective: ['What shipped', 'What to change next time'],
    checklists: [
      {
        title: 'Release',
        items: [
          item('Bump the version in plugin.json and package.json', { assignees: owner }),
          item('Test on the oldest and newest supported Mattermost'),
          gate('QA approves', 'Smoke test on both servers passed.'),
          item('Publish the release and its notes', { assignees: owner }),
        ],
      },
    ],
  },
  {
    ...base,
    name: 'Production Readiness Review',
    kind: 'prr',
    description: 'Before a service takes production traffic: operability, reliability and security checked and signed off.',
    statusUpdateMinutes: null,
    retrospective: [],
    checklists: [
      {
        title: 'Operability',
        items: [item('Runbook written and linked'), item('Dashboards and alerts in place'), item('On-call rotation set up')],
      },
      {
        title: 'Reliability',
        items: [item('SLOs defined'), item('Load tested at twice the expected peak'), item('Backups restored in a test')],
      },
      {
        title: 'Sign-off',
        items: [gate('Reviewers sign off (majority)', 'SRE, Platform and the owning team.', { approvers: [], quorum: { kind: 'majority', n: null } })],
      },
    ],
  },
];
