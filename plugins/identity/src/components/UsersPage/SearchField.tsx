import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import SearchIcon from '@material-ui/icons/Search';
import { useEffect, useRef, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';

/**
 * How long typing pauses before the search is sent: 100 ms, about the
 * longest wait that still reads as immediate. Most people type slower than
 * a key per 150 ms, so a longer pause would not spare the backend a request
 * per key from them; it would only hold the last one back. A search for
 * each key costs a backend query of ten milliseconds or so at 50,000 users
 * (bench/identity), and each one reads what the next, longer term reads.
 */
export const SEARCH_DEBOUNCE_MS = 100;

/**
 * A search box that sends its text once typing pauses: a request per pause,
 * which is a request per key from anyone typing slower than the pause.
 */
export function SearchField(props: {
  value: string | undefined;
  onChange: (q: string) => void;
  /** The accessible name; `Search users` unless given. */
  ariaLabel?: string;
  placeholder?: string;
}) {
  const { value = '', onChange } = props;
  const [text, setText] = useState(value);
  // The last search this field sent, or took from `value`.
  const sent = useRef(value);

  // The URL can change under us (back button, summary tile, shared link).
  // Only such a change replaces the text: the search this field sent comes
  // back as `value` a render or more later, by which time the user may have
  // typed on, and those keys must stay.
  useEffect(() => {
    if (value !== sent.current) {
      sent.current = value;
      setText(value);
    }
  }, [value]);

  useDebounce(
    () => {
      const q = text.trim();
      if (q !== value) {
        sent.current = q;
        onChange(q);
      }
    },
    SEARCH_DEBOUNCE_MS,
    [text],
  );

  return (
    <TextField
      label="Search"
      placeholder={props.placeholder ?? 'Name, display name or email'}
      variant="outlined"
      size="small"
      value={text}
      onChange={e => setText(e.target.value)}
      inputProps={{ 'aria-label': props.ariaLabel ?? 'Search users' }}
      InputProps={{
        startAdornment: (
          <InputAdornment position="start">
            <SearchIcon fontSize="small" />
          </InputAdornment>
        ),
      }}
    />
  );
}
