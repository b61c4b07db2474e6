/**
 * Etherpad API functions with no counterpart here: they answer code 3 with the reason, so a
 * script learns what to change instead of getting a bare "no such function".
 */
const NO_GROUPS = 'has no groups or sessions here: pads are open to anyone with the link, or guarded by edit keys (see docs/api.md)';
const NO_AUTHORS = 'is not supported: authors here are the people who write (a cookie per browser), not records the API creates';

export const UNSUPPORTED: Readonly<Record<string, string>> = {
  createGroup: NO_GROUPS,
  createGroupIfNotExistsFor: NO_GROUPS,
  deleteGroup: NO_GROUPS,
  listPads: NO_GROUPS,
  createGroupPad: NO_GROUPS,
  listAllGroups: NO_GROUPS,
  createSession: NO_GROUPS,
  deleteSession: NO_GROUPS,
  getSessionInfo: NO_GROUPS,
  listSessionsOfGroup: NO_GROUPS,
  listSessionsOfAuthor: NO_GROUPS,
  setPublicStatus: NO_GROUPS,
  getPublicStatus: NO_GROUPS,
  setPassword: NO_GROUPS,
  isPasswordProtected: NO_GROUPS,
  createAuthor: NO_AUTHORS,
  createAuthorIfNotExistsFor: NO_AUTHORS,
  listPadsOfAuthor: NO_AUTHORS,
  getAttributePool: 'is not supported: pads here are Yjs documents, not Etherpad changesets (export the pad as .etherpad for those)',
  getRevisionChangeset: 'is not supported: pads here are Yjs documents, not Etherpad changesets (export the pad as .etherpad for those)',
  sendClientsMessage: 'is not supported: clients here speak the y-websocket protocol, which has no custom messages',
};
