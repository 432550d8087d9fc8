import { renderInTestApp } from '@backstage/frontend-test-utils';
import { act, fireEvent, screen } from '@testing-library/react';
import { StatusFlagChips } from './StatusFlagChips';
import { TruncatedChip, TruncatedText } from './Truncated';

/**
 * jsdom does no layout: text is taken as 7 px a character, and an element
 * with a `max-width` in its style attribute as that wide, so a label longer
 * than its cap is cut as it would be in a browser.
 */
function fakeLayout() {
  const width = (el: HTMLElement) => (el.textContent ?? '').length * 7;
  const scroll = jest
    .spyOn(HTMLElement.prototype, 'scrollWidth', 'get')
    .mockImplementation(function scrollWidth(this: HTMLElement) {
      return width(this);
    });
  const client = jest
    .spyOn(HTMLElement.prototype, 'clientWidth', 'get')
    .mockImplementation(function clientWidth(this: HTMLElement) {
      const cap = parseFloat(this.style.maxWidth);
      return Number.isNaN(cap) ? width(this) : Math.min(cap, width(this));
    });
  return () => {
    scroll.mockRestore();
    client.mockRestore();
  };
}

describe('TruncatedChip', () => {
  let restore: () => void;
  beforeEach(() => {
    restore = fakeLayout();
  });
  afterEach(() => {
    restore();
    jest.useRealTimers();
  });

  const long = 'Memberships not counted in the corporate directory';

  it('cuts a long label with an ellipsis and shows it in full in a tooltip', async () => {
    await renderInTestApp(<TruncatedChip label={long} maxWidth={120} />);

    // The DOM keeps the whole label: screen readers and find-in-page see it.
    const text = screen.getByText(long);
    expect(text).toHaveStyle({
      maxWidth: '120px',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
    });
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();

    fireEvent.mouseOver(text);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(long);
  });

  it('shows no tooltip for a label that fits', async () => {
    jest.useFakeTimers();
    await renderInTestApp(<TruncatedChip label="Direct" maxWidth={120} />);

    const text = screen.getByText('Direct');
    // Neither the tooltip nor a native title that would repeat the label.
    expect(text.closest('[title]')).toBeNull();
    fireEvent.mouseOver(text);
    act(() => {
      jest.advanceTimersByTime(1000);
    });
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
  });

  it('cuts the status flags at the cap they are given', async () => {
    await renderInTestApp(
      <StatusFlagChips
        flags={['processingErrors', 'noGroups']}
        maxWidth={100}
      />,
    );
    // "Processing errors" is 119 px here, "No groups" 63 px.
    expect(screen.getByText('No groups')).toHaveStyle({ maxWidth: '100px' });
    fireEvent.mouseOver(screen.getByText('Processing errors'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Processing errors',
    );
  });
});

describe('TruncatedText', () => {
  let restore: () => void;
  beforeEach(() => {
    restore = fakeLayout();
  });
  afterEach(() => restore());

  it('cuts a long address and shows it in full in a tooltip', async () => {
    const email = 'aaron.larsen@contractors.example.com';
    await renderInTestApp(<TruncatedText text={email} maxWidth={200} />);
    const text = screen.getByText(email);
    expect(text).toHaveStyle({ textOverflow: 'ellipsis' });
    fireEvent.mouseOver(text);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(email);
  });
});
