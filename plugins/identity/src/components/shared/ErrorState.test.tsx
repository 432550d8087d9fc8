import { ResponseError } from '@backstage/errors';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ErrorState } from './ErrorState';

function forbidden(): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message: 'identity.read needed' },
        request: { method: 'GET', url: '/api/identity/users' },
        response: { statusCode: 403 },
      }),
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}

describe('ErrorState', () => {
  it('shows a 403 from the backend, as the client throws it, as not allowed', async () => {
    // IdentityClient throws ResponseError, whose own name is ResponseError:
    // the backend's NotAllowedError is its cause.
    const error = await forbidden();
    expect(error.name).toBe('ResponseError');
    await renderInTestApp(<ErrorState error={error} />);
    expect(
      screen.getByText('You are not allowed to view identities'),
    ).toBeInTheDocument();
  });

  it('shows other errors as an error panel', async () => {
    await renderInTestApp(<ErrorState error={new Error('database is down')} />);
    expect(
      screen.queryByText('You are not allowed to view identities'),
    ).toBeNull();
    expect(screen.getAllByText(/database is down/).length).toBeGreaterThan(0);
  });
});
