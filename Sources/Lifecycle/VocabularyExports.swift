// The shared words (calendar dates, status words, endorsement classes, cancellation reasons) appear in this module's API; re-exported
// so that its clients use them without a second import.
@_exported import PermitVocabulary
