import { IdentityClient } from '../api';

/**
 * An IdentityClient whose fetch answers every request with `response` and
 * records what was asked.
 */
export function setupClient(response: Response) {
  // A fresh copy per call: a body can be read once.
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
    response.clone(),
  );
  const client = new IdentityClient({
    discoveryApi: {
      getBaseUrl: async (pluginId: string) =>
        `http://backstage/api/${pluginId}`,
    },
    fetchApi: { fetch: fetch as any },
  });
  return { client, fetch };
}

/** A JSON response. */
export function jsonResponse(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}
