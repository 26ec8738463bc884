import { PROFILE_UID, SIGNAL_UID } from '../constants';

export const PROFILES_TABLE = 'personalize_profiles';
export const SIGNALS_TABLE = 'personalize_signals';

/**
 * One row per consenting visitor (services/profiles): `visitorHash` is the HMAC of the visitor id
 * that events use too, never the id. `data` holds the JSON of the event counts, interest scores
 * and traits; the columns are what retention and the admin query on.
 */
export const profileModel = {
  uid: PROFILE_UID,
  singularName: 'profile',
  tableName: PROFILES_TABLE,
  attributes: {
    id: { type: 'increments' },
    visitorHash: { type: 'string', column: { notNullable: true } },
    firstSeen: { type: 'datetime', column: { notNullable: true } },
    lastSeen: { type: 'datetime', column: { notNullable: true } },
    visits: { type: 'integer', column: { notNullable: true } },
    pageViews: { type: 'integer', column: { notNullable: true } },
    stageReached: { type: 'string' },
    data: { type: 'text', column: { notNullable: true } },
    /** Raised by every write (under the row's lock): orders the copies in Redis. */
    version: { type: 'integer', column: { notNullable: true } },
  },
  indexes: [
    { name: 'personalize_profiles_visitor_uq', type: 'unique', columns: ['visitor_hash'] },
    { name: 'personalize_profiles_seen_idx', columns: ['last_seen'] },
  ],
} as const;

/** "Reading this entry adds `points` to interest `interest` (a slug)"; documentId null: a single type. */
export const signalModel = {
  uid: SIGNAL_UID,
  singularName: 'signal',
  tableName: SIGNALS_TABLE,
  attributes: {
    id: { type: 'increments' },
    targetUid: { type: 'string', column: { notNullable: true } },
    targetDocumentId: { type: 'string' },
    interest: { type: 'string', column: { notNullable: true } },
    points: { type: 'integer', column: { notNullable: true } },
  },
  indexes: [
    { name: 'personalize_signals_target_idx', columns: ['target_uid', 'target_document_id'] },
  ],
} as const;
