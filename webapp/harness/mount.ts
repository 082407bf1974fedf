// Mounting the harness app on React 18 (Mattermost 11.x). The React 17 stack's bundle swaps this
// module for mount_react17.ts (see hostBundle in webapp.browser.test.ts).
import type React from 'react';
import { createRoot } from 'react-dom/client';

export function mount(element: React.ReactElement, container: HTMLElement): void {
  createRoot(container).render(element);
}
