import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { ReviewReviewerProgress } from '@identity-governance/plugin-identity-common';
import { shortRef } from '../shared/shortRef';
import { useTableStyles } from '../shared/tableStyles';
import { CampaignProgress } from './CampaignProgress';

/** How far each reviewer is: all of them for managers, a reviewer's own. */
export function ReviewerProgressTable(props: {
  progress: ReviewReviewerProgress[];
}) {
  const tableClasses = useTableStyles();
  return (
    <TableContainer>
      <Table
        size="small"
        aria-label="Reviewer progress"
        className={tableClasses.table}
      >
        <TableHead>
          <TableRow>
            <TableCell>Reviewer</TableCell>
            <TableCell>Progress</TableCell>
            <TableCell align="right">Kept</TableCell>
            <TableCell align="right">Revoked</TableCell>
            <TableCell align="right">Undecided</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.progress.map(p => (
            <TableRow key={p.reviewer}>
              <TableCell className={tableClasses.nowrap}>
                {shortRef(p.reviewer)}
              </TableCell>
              <TableCell style={{ width: '40%' }}>
                <CampaignProgress
                  decided={p.decided}
                  total={p.total}
                  label={`Progress of ${shortRef(p.reviewer)}`}
                />
              </TableCell>
              <TableCell align="right">{p.kept}</TableCell>
              <TableCell align="right">{p.revoked}</TableCell>
              <TableCell align="right">{p.total - p.decided}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
