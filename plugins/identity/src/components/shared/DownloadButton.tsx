import GetAppIcon from '@material-ui/icons/GetApp';
import { ActionButton } from './ActionButton';
import { saveBlob } from './saveBlob';

/**
 * Downloads what `download` fetches as `fileName`. A plain link would not
 * do: the backend needs the Backstage token, which only fetchApi adds.
 */
export function DownloadButton(props: {
  download: () => Promise<Blob>;
  fileName: string;
  label?: string;
}) {
  return (
    <ActionButton
      label={props.label ?? 'Export CSV'}
      icon={<GetAppIcon />}
      action={async () => saveBlob(await props.download(), props.fileName)}
    />
  );
}

/** Today's date for file names, `2026-12-04`. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
