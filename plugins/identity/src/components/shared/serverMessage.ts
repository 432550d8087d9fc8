/**
 * What the backend said about a failed request: a `ResponseError` carries
 * the server's error, whose message is the useful part ("Request failed
 * with 400 Bad Request" is not); any other error its own message.
 */
export function serverMessage(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (
    error.name === 'ResponseError' &&
    cause &&
    typeof (cause as Error).message === 'string' &&
    (cause as Error).message
  ) {
    return (cause as Error).message;
  }
  return error.message;
}
