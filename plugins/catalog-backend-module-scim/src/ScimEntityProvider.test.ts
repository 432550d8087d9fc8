import { mockServices } from '@backstage/backend-test-utils';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import {
  ScimChangeEvent,
  ScimRecordSet,
  ScimRecordSource,
} from '@identity-governance/plugin-scim-node';
import { ScimEntityProvider } from './ScimEntityProvider';

describe('ScimEntityProvider', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const none: ScimRecordSet = { users: [], groups: [], withheld: [] };

  function setup(source: Partial<ScimRecordSource>) {
    let listener: (change: ScimChangeEvent) => void = () => {};
    const full: ScimRecordSource = {
      readRecords: async () => none,
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
    const readRecords = jest
      .fn()
      .mockRejectedValueOnce(new Error('catalog unavailable'))
      .mockResolvedValue(none);
    const { provider, connection, publish } = setup({ readRecords });
    await provider.connect(connection);
    await jest.advanceTimersByTimeAsync(0);
    publish(change);
    await jest.advanceTimersByTimeAsync(200);
    expect(readRecords).toHaveBeenCalledTimes(1);
    expect(connection.applyMutation).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(5000);
    expect(readRecords).toHaveBeenCalledTimes(2);
    expect(readRecords).toHaveBeenLastCalledWith({
      userIds: ['u1'],
      groupIds: [],
    });
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'delta',
      added: [],
      removed: [],
    });
  });

  it('tries a failed reconciliation again 30 s later', async () => {
    const readRecords = jest
      .fn()
      .mockRejectedValueOnce(new Error('catalog unavailable'))
      .mockResolvedValue(none);
    const { provider, connection } = setup({ readRecords });
    await provider.connect(connection);
    await expect(provider.reconcile()).rejects.toThrow('catalog unavailable');
    expect(connection.applyMutation).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(30_000);
    expect(readRecords).toHaveBeenCalledTimes(2);
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [],
    });
  });
});
