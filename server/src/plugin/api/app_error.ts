/** model.AppError as the product sees it: every failing API call rejects with one of these. */
export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    /** Mattermost's translation id, e.g. `app.channel.get.existing.app_error`. */
    readonly id: string,
    message: string,
    readonly detailedError: string,
    readonly statusCode: number,
    readonly where: string = '',
  ) {
    super(message);
  }

  static notSupported(method: string): AppError {
    return new AppError(
      'plugin.api.not_supported',
      `${method} is not supported by this server version`,
      '',
      501,
      method,
    );
  }

  get isNotFound(): boolean {
    return this.statusCode === 404;
  }
}
