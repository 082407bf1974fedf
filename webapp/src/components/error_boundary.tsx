// Keeps a render error inside one part of the plugin: the host draws our incident card straight
// into its post list (no boundary of its own there) and one broken tab should not blank the whole
// sidebar. Shows a one-line message with a retry; the error goes to the console for a bug report.
import React from 'react';
import { PLUGIN_ID } from '../contract';

interface Props {
  /** What failed, for the message: "the incident card", "the PICK tab". */
  what: string;
  /** A change of this value (e.g. another post or tab) clears the error. */
  resetKey?: string;
  children?: React.ReactNode;
}

export class ErrorBoundary extends React.Component<Props, { error: Error | null; resetKey: string | undefined }> {
  override state = { error: null as Error | null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: { error: Error | null; resetKey: string | undefined }) {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey };
  }

  override componentDidCatch(error: Error): void {
    console.error(`[${PLUGIN_ID}] ${this.props.what} failed to render`, error);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className='io-error io-boundary' role='alert'>
        Infra Ops could not show {this.props.what}.{' '}
        <button className='io-link' type='button' onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
