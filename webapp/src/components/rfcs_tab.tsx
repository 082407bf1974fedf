import React from 'react';
import type { GlobalState } from '@mattermost/types/store';
import { useDispatch, useSelector } from 'react-redux';
import { rfcsReceived } from '../actions';
import { listRfcs } from '../client';
import { RFC_STATUS_LABELS, teamNumberKey } from '../contract';
import { daysLeft } from '../format';
import { getCurrentChannelId, getCurrentTeamId, getRfcs } from '../selectors';
import { ErrorText, Loading, UserName } from './common';
import { useLoad } from './hooks';

export function RfcsTab({ now = Date.now }: { now?: () => number }) {
  const dispatch = useDispatch();
  const teamId = useSelector(getCurrentTeamId);
  const channelId = useSelector(getCurrentChannelId);
  const rfcs = useSelector((s: GlobalState) => getRfcs(s, teamId));
  // `rfc_changed` reaches only an RFC's channel: RFCs of other channels are fetched again when the
  // tab opens or the user moves to another channel, and the list replaces what was shown.
  const load = useLoad(async () => dispatch(rfcsReceived(teamId, (await listRfcs(teamId, { per_page: 50 })).items)), `rfcs:${teamId}:${channelId}`);

  return (
    <div>
      <div className='io-h'>RFCs</div>
      <Loading loading={load.loading && rfcs.length === 0} label='RFCs' />
      <ErrorText error={load.error} />
      {!load.loading && !load.error && rfcs.length === 0 && <div className='io-muted'>No RFCs yet. Start one with /rfc new.</div>}
      <ul className='io-list' aria-label='RFCs'>
        {rfcs.map((rfc) => {
          const left = daysLeft(rfc.commentPeriod?.endsAt ?? null, now());
          const signed = rfc.reviewers.filter((r) => r.signedOffAt !== null).length;
          return (
            <li key={teamNumberKey(rfc)} className='io-item' data-rfc-id={teamNumberKey(rfc)}>
              <div>
                <span className='io-badge'>{RFC_STATUS_LABELS[rfc.status]}</span>
                <span className='io-item-title'>
                  {rfc.reference} {rfc.title}
                </span>
              </div>
              <div className='io-muted'>
                owner <UserName userId={rfc.ownerId} />
                {rfc.status === 'in_review' && ` · ${signed}/${rfc.reviewers.length} sign-offs`}
                {rfc.status === 'in_review' && left !== null && ` · ${left} day${left === 1 ? '' : 's'} left`}
                {rfc.openConcerns > 0 && ` · ${rfc.openConcerns} open concern${rfc.openConcerns === 1 ? '' : 's'}`}
                {rfc.docUrl && (
                  <>
                    {' · '}
                    <a className='io-link' href={rfc.docUrl} target='_blank' rel='noopener noreferrer'>
                      document
                    </a>
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
