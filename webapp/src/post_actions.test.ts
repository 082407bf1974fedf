import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Post } from '@mattermost/types/posts';
import { declareDraftFromPost, isActionablePost, postMenuActions, titleFromMessage } from './post_actions';

const post = (message: string, over: Partial<Post> = {}): Post => ({ id: 'p1', channel_id: 'ch1', message, type: '', ...over }) as Post;

describe('titleFromMessage', () => {
  it('takes the first non-empty line without markdown marks', () => {
    assert.equal(titleFromMessage('\n\n## **Checkout** is `down`\nmore'), 'Checkout is down');
    assert.equal(titleFromMessage('> quoted alert'), 'quoted alert');
    assert.equal(titleFromMessage('   '), '');
  });
  it('cuts long lines at a word with an ellipsis', () => {
    const t = titleFromMessage('word '.repeat(40), 30);
    assert.ok(t.length <= 30);
    assert.ok(t.endsWith('…'));
    assert.ok(!t.includes('wor…'));
  });
});

describe('declareDraftFromPost', () => {
  it('quotes the message and links it', () => {
    const d = declareDraftFromPost(post('API 500s\nsince 10:02'), 'https://x/_redirect/pl/p1');
    assert.equal(d.title, 'API 500s');
    assert.equal(d.summary, '> API 500s\n> since 10:02\n\n(from https://x/_redirect/pl/p1)');
  });
});

describe('post menu actions', () => {
  it('only offers actions on user messages with text', () => {
    assert.equal(isActionablePost(post('hi')), true);
    assert.equal(isActionablePost(post('   ')), false);
    assert.equal(isActionablePost(post('joined', { type: 'system_join_channel' as Post['type'] })), false);
    assert.equal(isActionablePost(post('card', { type: 'custom_infra_incident' as Post['type'] })), false);
    assert.equal(isActionablePost(undefined), false);
  });

  it('declares from a message and adds an idea from a message', async () => {
    const drafts: unknown[] = [];
    const ideas: unknown[] = [];
    const [declare, addIdea] = postMenuActions({
      getPost: (id) => (id === 'p1' ? post('Cache CI artefacts') : undefined),
      permalink: (id) => `link/${id}`,
      openDeclareForm: (d) => drafts.push(d),
      addIdea: async (channelId, title) => void ideas.push([channelId, title]),
      warn: () => assert.fail(),
    });
    assert.equal(declare!.text, 'Declare incident from message');
    assert.equal(addIdea!.text, 'Add as PICK idea');
    assert.equal(declare!.filter('p1'), true);
    assert.equal(declare!.filter('missing'), false);
    declare!.action('p1');
    addIdea!.action('p1');
    addIdea!.action('missing');
    await new Promise((r) => setImmediate(r));
    assert.equal(drafts.length, 1);
    assert.deepEqual(ideas, [['ch1', 'Cache CI artefacts']]);
  });
});
