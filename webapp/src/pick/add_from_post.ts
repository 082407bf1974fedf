// "Add as PICK idea" from a post: create the idea in the post's channel, show it on the PICK tab
// and say what happened at the top of the sidebar (the post menu has no place for errors).
import type { Action, Dispatch } from 'redux';
import { ideaReceived, showNotice } from '../actions';
import { addIdea } from '../client';
import { showSidebar } from '../sidebar_control';

/** teamId: the team being looked at; the server refuses a channel of another team. */
export async function addIdeaFromPost(dispatch: Dispatch<Action>, teamId: string, channelId: string, title: string): Promise<void> {
  showSidebar(dispatch, 'pick');
  try {
    const idea = await addIdea(teamId, { channel_id: channelId, title });
    dispatch(ideaReceived(idea));
    dispatch(showNotice({ kind: 'ok', text: `${idea.reference} added: score it below.` }));
  } catch (err) {
    dispatch(showNotice({ kind: 'error', text: `Could not add the idea: ${err instanceof Error ? err.message : String(err)}` }));
  }
}
