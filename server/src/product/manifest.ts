/**
 * What Mattermost must see of the product at activation, recorded at build time from the product
 * itself (product/testing/manifest.ts, run by scripts/build-server.mjs and injected as
 * `__INFRA_OPS_MANIFEST__`), so activation can answer before the product is evaluated (./lazy.ts).
 * Imports nothing but types: it is part of what every start evaluates.
 */
import type { Command } from '../plugin/model/types';

/** The channel hooks the product implements (./index.ts and ./lazy.ts). */
export const CHANNEL_HOOKS = ['messageHasBeenPosted', 'userHasJoinedChannel', 'userHasLeftChannel', 'channelHasBeenCreated'] as const;
export type ChannelHook = (typeof CHANNEL_HOOKS)[number];

export interface ProductManifest {
  /** The slash commands exactly as the product registers them. */
  readonly commands: readonly Command[];
  /** Those a feature handles: only these load the product. */
  readonly hooks: readonly ChannelHook[];
}

export const BOT = { Username: 'infra-ops', DisplayName: 'Infra Ops', Description: 'Incidents, RFCs, PICK and guilds.' };

declare const __INFRA_OPS_MANIFEST__: ProductManifest | undefined;

/** The manifest the build injected; undefined under tsx and in tests (the product then loads at activation). */
export const BUILT_MANIFEST: ProductManifest | undefined = typeof __INFRA_OPS_MANIFEST__ === 'object' ? __INFRA_OPS_MANIFEST__ : undefined;
