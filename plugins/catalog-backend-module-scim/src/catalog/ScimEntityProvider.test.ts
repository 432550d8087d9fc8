import { mockServices } from '@backstage/backend-test-utils';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { ScimEntityProvider } from './ScimEntityProvider';
import {
  ScimChangeEvent,
  ScimEntitySource,
} from './scimEntitySourceServiceRef';

describe('ScimEntityProvider', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  function setup(source: Partial<ScimEntitySource>) {
    let listener: (change: ScimChangeEvent) => void = () => {};
    const full: ScimEntitySource = {
      readEntities: async () => [],
      readDelta: async () => ({ added: [], removed: [] }),
      subscribe: l => {
        listener = l;
        return () => {};
      },
      ...source,
    };
    const provider = new ScimEntityProvider(
      { register: () => {}, get: async () => full },
      { run: async () => {} },
      mockServices.logger.mock(),
    );
    const connection: EntityProviderConnection = {
      applyMutation: jest.fn(async () => {}),
      refresh: jest.fn(async () => {}),
    };
    return {
      provider,
      connection,
      publish: (c: ScimChangeEvent) => listener(c),
    };
  }

  const change: ScimChangeEvent = {
    idp: 'entra',
    userIds: ['u1'],
    groupIds: [],
    previousRefs: [],
  };

  it('tries a failed delta again instead of dropping the changes', async () => {
    const readDelta = jest
      .fn()
      .mockRejectedValueOnce(new Error('catalog unavailable'))
      .mockResolvedValue({ added: [], removed: [] });
    const { provider, connection, publish } = setup({ readDelta });
    await provider.connect(connection);
    await jest.advanceTimersByTimeAsync(0);
    publish(change);
    await jest.advanceTimersByTimeAsync(200);
    expect(readDelta).toHaveBeenCalledTimes(1);
    expect(connection.applyMutation).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(5000);
    expect(readDelta).toHaveBeenCalledTimes(2);
    expect(readDelta).toHaveBeenLastCalledWith([change]);
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'delta',
      added: [],
      removed: [],
    });
  });

  it('tries a failed reconciliation again 30 s later', async () => {
    const readEntities = jest
      .fn()
      .mockRejectedValueOnce(new Error('catalog unavailable'))
      .mockResolvedValue([]);
    const { provider, connection } = setup({ readEntities });
    await provider.connect(connection);
    await expect(provider.reconcile()).rejects.toThrow('catalog unavailable');
    expect(connection.applyMutation).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(30_000);
    expect(readEntities).toHaveBeenCalledTimes(2);
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [],
    });
  });
});
