import { mockServices } from '@backstage/backend-test-utils';
import { DecisionFailureLog } from './DecisionFailureLog';

describe('DecisionFailureLog', () => {
  it('logs an outage once when it starts and once when it ends', () => {
    const logger = mockServices.logger.mock();
    const log = new DecisionFailureLog(logger);
    for (let i = 0; i < 100; i++) {
      log.failed(new Error('catalog unreachable'), { permission: 'p' });
    }
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('denied'),
      expect.objectContaining({
        permission: 'p',
        error: 'Error: catalog unreachable',
      }),
    );
    log.succeeded();
    log.succeeded();
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('after 100 failed'),
    );
    log.failed(new Error('again'), {});
    expect(logger.error).toHaveBeenCalledTimes(2);
  });
});
