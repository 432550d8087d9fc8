import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { SEARCH_DEBOUNCE_MS, SearchField } from './SearchField';

/**
 * The page around the field: a search it sends comes back as `value` only
 * after `delayMs`, as it does through the router and a render of the page.
 */
function Page(props: { delayMs: number; sent: string[]; initial?: string }) {
  const [value, setValue] = useState(props.initial);
  return (
    <>
      <SearchField
        value={value}
        onChange={q => {
          props.sent.push(q);
          setTimeout(() => setValue(q), props.delayMs);
        }}
      />
      <button onClick={() => setValue('from-link')}>navigate</button>
    </>
  );
}

const input = () => screen.getByLabelText('Search users') as HTMLInputElement;
const type = (text: string) =>
  fireEvent.change(input(), { target: { value: text } });
const wait = (ms: number) =>
  act(() => {
    jest.advanceTimersByTime(ms);
  });

describe('SearchField', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends the text once typing pauses', () => {
    const sent: string[] = [];
    render(<Page delayMs={0} sent={sent} />);
    type('a');
    wait(SEARCH_DEBOUNCE_MS - 10);
    type('ad');
    wait(SEARCH_DEBOUNCE_MS - 10);
    type('ada ');
    wait(SEARCH_DEBOUNCE_MS);
    expect(sent).toEqual(['ada']);
    expect(input().value).toBe('ada ');
  });

  it('keeps what is typed while a search it sent is on its way back', () => {
    const sent: string[] = [];
    render(<Page delayMs={30} sent={sent} />);
    type('r');
    wait(SEARCH_DEBOUNCE_MS);
    expect(sent).toEqual(['r']);
    // The next key lands before the page has taken the search.
    type('ru');
    wait(30);
    expect(input().value).toBe('ru');
    wait(SEARCH_DEBOUNCE_MS);
    expect(sent).toEqual(['r', 'ru']);
    wait(30);
    expect(input().value).toBe('ru');
  });

  it('takes a search that comes from elsewhere', () => {
    const sent: string[] = [];
    render(<Page delayMs={0} sent={sent} initial="ada" />);
    expect(input().value).toBe('ada');
    fireEvent.click(screen.getByText('navigate'));
    expect(input().value).toBe('from-link');
    wait(SEARCH_DEBOUNCE_MS);
    expect(sent).toEqual([]);
  });
});
