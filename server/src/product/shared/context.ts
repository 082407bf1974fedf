import type { Router } from 'express';
import type { PluginAPI } from '../../plugin/api/plugin_api';
import type { Channel, ChannelMember, Post, User } from '../../plugin/model/types';
import type { Access } from './access/policy';
import type { AfterAnswer } from './after_answer';
import type { CommandSpec } from './commands';
import type { EventPublisher } from './events';
import type { KvRepository } from './kv';
import type { OwedSource } from './owed';
import type { Scheduler } from './scheduler';

import type { Logger } from './logger';

export { PLUGIN_ID } from '../contract/api';
/** Re-exported while modules still import it from here; new code imports './logger'. */
export type { Logger } from './logger';

/** Everything a feature needs, built once the plugin API is connected. */
export interface ProductContext {
  readonly api: PluginAPI;
  readonly kv: KvRepository;
  readonly events: EventPublisher;
  readonly scheduler: Scheduler;
  /** Side effects a write's answer does not wait for (card refresh, events, bot posts). */
  readonly afterAnswer: AfterAnswer;
  readonly log: Logger;
  /** The plugin's bot; everything the plugin posts is posted as it. */
  readonly botUserId: string;
  /** A fresh scope-and-access policy for one request, command or job (memoised only within it). */
  readonly access: () => Access;
  readonly version: string;
  readonly now: () => number;
  /**
   * The plugin's System Console settings as last loaded. Mattermost lower-cases setting keys, so
   * look them up lower-cased (each feature parses its own keys with zod, with defaults).
   */
  readonly settings: () => Readonly<Record<string, unknown>>;
}

/** A feature of the product: its commands, HTTP routes and hook reactions. */
export interface Feature {
  readonly name: string;
  readonly commands?: readonly CommandSpec[];
  /** Mounted under /api/v1; every route gets the caller's user id via userIdOf(req). */
  readonly routes?: (router: Router) => void;
  /** Mounted under /api/v1 before authentication: only for what must answer anyone (health). */
  readonly publicRoutes?: (router: Router) => void;
  /**
   * Mounted at the plugin's root (`/plugins/infra-ops/…`), outside the JSON API: server-rendered
   * pages (the status page, which checks its viewer itself) and requests from other systems (alert
   * sources under /hooks, calendar apps) that authenticate with a secret of their own; each route
   * checks its caller and reads its own body.
   */
  readonly rootRoutes?: (router: Router) => void;
  /** Idempotent: runs on every node at every activation (migrations, seeding). */
  readonly activate?: () => Promise<void>;
  readonly deactivate?: () => Promise<void>;
  /** Its part of `/infra owe`: facts kept in the user's owed ledger (shared/owed.ts) and their lines. */
  readonly owed?: OwedSource;
  readonly messageHasBeenPosted?: (post: Post) => Promise<void>;
  readonly userHasJoinedChannel?: (member: ChannelMember, actor: User | null) => Promise<void>;
  readonly userHasLeftChannel?: (member: ChannelMember, actor: User | null) => Promise<void>;
  readonly channelHasBeenCreated?: (channel: Channel) => Promise<void>;
}
