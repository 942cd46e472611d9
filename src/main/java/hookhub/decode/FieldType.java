package hookhub.decode;

/** Declared field types from a route file. */
public enum FieldType { STRING, INT, DECIMAL, BOOL, TIMESTAMP, JSON }
