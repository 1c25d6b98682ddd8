// The shared words (crypto suite, key roles, calendar dates) appear in this module's API; re-exported
// so that its clients use them without a second import.
@_exported import PermitVocabulary
