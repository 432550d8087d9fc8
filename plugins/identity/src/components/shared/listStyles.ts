import { makeStyles } from '@material-ui/core/styles';

/** The page sizes of the server-paged tables. */
export const PAGE_SIZES = [10, 25, 50, 100];

/**
 * A server-paged list: its toolbar (search and filters), and the strip over
 * the table where a thin progress bar shows while the next page loads.
 */
export const useListStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  grow: { flexGrow: 1 },
  progress: { height: 4 },
}));
