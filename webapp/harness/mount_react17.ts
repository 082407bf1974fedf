// Mounting the harness app on React 17 (Mattermost 10.x), which has no react-dom/client.
import type React from 'react';
import * as ReactDOM from 'react-dom';

export function mount(element: React.ReactElement, container: HTMLElement): void {
  (ReactDOM as unknown as { render(e: React.ReactElement, c: HTMLElement): void }).render(element, container);
}
