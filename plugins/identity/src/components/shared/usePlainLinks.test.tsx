import { analyticsApiRef } from '@backstage/core-plugin-api';
import { mockApis } from '@backstage/frontend-test-utils';
import { fireEvent, screen } from '@testing-library/react';
import { mockIdentityApi } from '../../__testUtils__/fixtures';
import { renderIdentity } from '../../__testUtils__/renderIdentity';
import { usePlainLinks } from './usePlainLinks';

function Links() {
  const { href, onClick } = usePlainLinks();
  const to = '/identity/users/default/ada.admin';
  return (
    <a href={href(to)} data-to={to} onClick={onClick}>
      ada.admin
    </a>
  );
}

describe('usePlainLinks', () => {
  async function setup() {
    const analytics = mockApis.analytics.mock();
    await renderIdentity(<Links />, {
      api: mockIdentityApi(),
      apis: [[analyticsApiRef, analytics]],
    });
    return { analytics, link: screen.getByRole('link', { name: 'ada.admin' }) };
  }

  it('links to the app path, and navigates in the app on a plain click', async () => {
    const { analytics, link } = await setup();
    expect(link).toHaveAttribute('href', '/identity/users/default/ada.admin');

    // false: the default (a full page load) was prevented for app navigation
    expect(fireEvent.click(link, { button: 0 })).toBe(false);
    expect(analytics.captureEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'click',
        subject: 'ada.admin',
        attributes: { to: '/identity/users/default/ada.admin' },
      }),
    );
  });

  it('leaves modified and middle clicks to the browser', async () => {
    const { analytics, link } = await setup();
    expect(fireEvent.click(link, { button: 0, ctrlKey: true })).toBe(true);
    expect(fireEvent.click(link, { button: 0, metaKey: true })).toBe(true);
    expect(fireEvent.click(link, { button: 0, shiftKey: true })).toBe(true);
    expect(fireEvent.click(link, { button: 1 })).toBe(true);
    const clicks = analytics.captureEvent.mock.calls.filter(
      ([event]) => event.action === 'click',
    );
    expect(clicks).toHaveLength(4);
  });
});
