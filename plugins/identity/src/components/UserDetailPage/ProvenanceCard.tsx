import { InfoCard, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  IdentityProcessingError,
  IdentityProvenance,
  IdentityProvisioning,
  IdentityProvisioningHistoryEntry,
} from '@identity-governance/plugin-identity-common';
import { ReactNode } from 'react';
import { shortRef } from '../shared/shortRef';
import { useTableStyles } from '../shared/tableStyles';
import { TruncatedText } from '../shared/Truncated';
import { useIdentityLinks } from '../shared/useIdentityLinks';

const useStyles = makeStyles(theme => ({
  label: {
    width: '30%',
    verticalAlign: 'top',
    color: theme.palette.text.secondary,
  },
  // A label is a phrase or an annotation key: one line, cut with a tooltip
  // when a key is longer than this.
  labelText: { maxWidth: theme.spacing(25) },
  mono: {
    fontFamily: 'monospace',
    wordBreak: 'break-all',
  },
  pre: {
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    fontFamily: 'monospace',
    fontSize: theme.typography.body2.fontSize,
    margin: 0,
  },
  heading: { marginTop: theme.spacing(2), marginBottom: theme.spacing(1) },
  // Generated location refs are one long word: break them rather than run
  // past the card's edge.
  ancestry: { overflowWrap: 'anywhere' },
}));

function Row(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <TableRow>
      <TableCell component="th" scope="row" className={classes.label}>
        <TruncatedText text={props.label} className={classes.labelText} />
      </TableCell>
      <TableCell className={classes.mono}>{props.children ?? '—'}</TableCell>
    </TableRow>
  );
}

const provisioningRows: Array<
  [Exclude<keyof IdentityProvisioning, 'history'>, string]
> = [
  ['idp', 'Identity provider'],
  ['scimId', 'SCIM id'],
  ['externalId', 'External id'],
  ['userName', 'User name'],
  ['active', 'Active'],
  ['provisionedAt', 'Provisioned'],
  ['updatedAt', 'Last updated'],
  ['deactivatedAt', 'Deactivated'],
];

function processingErrorText(error: IdentityProcessingError): string {
  const lines = [error.type, error.message];
  const cause = error.error;
  if (cause?.message && cause.message !== error.message) {
    lines.push(cause.name ? `${cause.name}: ${cause.message}` : cause.message);
  }
  return lines.filter(Boolean).join('\n');
}

function formatValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** Who made a change: the user who offboarded it, else the IdP itself. */
function changedBy(entry: IdentityProvisioningHistoryEntry): string {
  const by = entry.details?.deactivatedBy ?? entry.details?.requestedBy;
  return typeof by === 'string' && by ? by : entry.idp;
}

function ProvisioningHistoryTable(props: {
  history: IdentityProvisioningHistoryEntry[];
}) {
  const classes = useStyles();
  const tableClasses = useTableStyles();
  const links = useIdentityLinks();
  if (props.history.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        The SCIM plugin recorded no changes for this record.
      </Typography>
    );
  }
  return (
    <Table
      size="small"
      aria-label="Provisioning changes"
      className={tableClasses.table}
    >
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>Action</TableCell>
          <TableCell>IdP</TableCell>
          <TableCell>By</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.history.map((entry, i) => {
          const by = changedBy(entry);
          return (
            <TableRow key={`${entry.at}-${entry.action}-${i}`}>
              <TableCell className={classes.mono}>
                <time dateTime={entry.at}>{entry.at}</time>
              </TableCell>
              <TableCell>{entry.action}</TableCell>
              <TableCell>{entry.idp}</TableCell>
              <TableCell>
                {by.startsWith('user:') ? (
                  <Link to={links.user(by)}>{shortRef(by)}</Link>
                ) : (
                  by
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/**
 * Where the record comes from: the locations, the catalog's ancestry chain,
 * provider annotations, every processing error in full, and the SCIM
 * provisioning history when there is one.
 */
export function ProvenanceCard(props: { provenance: IdentityProvenance }) {
  const classes = useStyles();
  const links = useIdentityLinks();
  const { provenance } = props;
  const annotations = Object.entries(provenance.providerAnnotations);

  return (
    <InfoCard title="Provenance">
      <Table size="small" aria-label="Locations">
        <TableBody>
          <Row label="Managed by location">{provenance.managedByLocation}</Row>
          <Row label="Origin location">{provenance.originLocation}</Row>
        </TableBody>
      </Table>

      <Typography variant="h6" className={classes.heading}>
        Ancestry
      </Typography>
      {provenance.ancestry.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          The catalog reported no ancestry for this entity.
        </Typography>
      ) : (
        <ol aria-label="Ancestry" className={classes.ancestry}>
          {provenance.ancestry.map(item => (
            <li key={item.entityRef}>
              <Link to={links.catalogEntity(item.entityRef)}>
                {item.entityRef}
              </Link>
              {item.parentEntityRefs.length > 0 && (
                <Typography variant="body2" color="textSecondary">
                  emitted by {item.parentEntityRefs.map(shortRef).join(', ')}
                </Typography>
              )}
            </li>
          ))}
        </ol>
      )}

      <Typography variant="h6" className={classes.heading}>
        Provider annotations
      </Typography>
      {annotations.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No provider annotations: the record comes from a file or URL location.
        </Typography>
      ) : (
        <Table size="small" aria-label="Provider annotations">
          <TableBody>
            {annotations.map(([key, value]) => (
              <Row key={key} label={key}>
                {value}
              </Row>
            ))}
          </TableBody>
        </Table>
      )}

      <Typography variant="h6" className={classes.heading}>
        Processing errors
      </Typography>
      {provenance.processingErrors.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          None.
        </Typography>
      ) : (
        provenance.processingErrors.map((error, i) => (
          <Box key={i} mb={1}>
            <Alert severity="error">
              <pre className={classes.pre}>{processingErrorText(error)}</pre>
            </Alert>
          </Box>
        ))
      )}

      <Typography variant="h6" className={classes.heading}>
        Provisioning history
      </Typography>
      {provenance.provisioning ? (
        <>
          <Table size="small" aria-label="Provisioning history">
            <TableBody>
              {provisioningRows.map(([key, label]) => (
                <Row key={key} label={label}>
                  {formatValue(provenance.provisioning?.[key])}
                </Row>
              ))}
            </TableBody>
          </Table>
          {provenance.provisioning.history && (
            <Box mt={2}>
              <ProvisioningHistoryTable
                history={provenance.provisioning.history}
              />
            </Box>
          )}
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          Not provisioned through SCIM: the catalog keeps no history of when
          this record was created or changed.
        </Typography>
      )}
    </InfoCard>
  );
}
