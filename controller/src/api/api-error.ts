import type { z } from 'zod';

/** One problem with a request: the field (dotted path into the JSON body, or a path parameter) and why. */
export interface ApiErrorDetail {
  path: string;
  message: string;
}

/** A request refused with a 4xx status; the body says what and where: `{ error, details: [{ path, message }] }`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly details: readonly ApiErrorDetail[] = [],
  ) {
    super(message);
  }

  static fromZod(error: z.ZodError, what: string): ApiError {
    return new ApiError(
      400,
      `invalid ${what}`,
      error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message })),
    );
  }
}
