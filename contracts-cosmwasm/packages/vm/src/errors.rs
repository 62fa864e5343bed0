//! StdError: the errors the VM layer itself can produce, shaped like cosmwasm-std's.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StdError {
    GenericErr { msg: String },
    NotFound { kind: String },
    ParseErr { target_type: String, msg: String },
    SerializeErr { source_type: String, msg: String },
    InvalidBase64 { msg: String },
    InvalidUtf8 { msg: String },
    Overflow { operation: String, operand1: String, operand2: String },
    DivideByZero { operand: String },
}

pub type StdResult<T> = Result<T, StdError>;

impl StdError {
    pub fn generic_err(msg: impl Into<String>) -> Self {
        StdError::GenericErr { msg: msg.into() }
    }
    pub fn not_found(kind: impl Into<String>) -> Self {
        StdError::NotFound { kind: kind.into() }
    }
    pub fn parse_err(target_type: impl Into<String>, msg: impl ToString) -> Self {
        StdError::ParseErr { target_type: target_type.into(), msg: msg.to_string() }
    }
    pub fn serialize_err(source_type: impl Into<String>, msg: impl ToString) -> Self {
        StdError::SerializeErr { source_type: source_type.into(), msg: msg.to_string() }
    }
    pub fn invalid_base64(msg: impl ToString) -> Self {
        StdError::InvalidBase64 { msg: msg.to_string() }
    }
    pub fn invalid_utf8(msg: impl ToString) -> Self {
        StdError::InvalidUtf8 { msg: msg.to_string() }
    }
    pub fn overflow(operation: &str, operand1: impl ToString, operand2: impl ToString) -> Self {
        StdError::Overflow {
            operation: operation.to_string(),
            operand1: operand1.to_string(),
            operand2: operand2.to_string(),
        }
    }
    pub fn divide_by_zero(operand: impl ToString) -> Self {
        StdError::DivideByZero { operand: operand.to_string() }
    }
}

impl fmt::Display for StdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StdError::GenericErr { msg } => write!(f, "Generic error: {}", msg),
            StdError::NotFound { kind } => write!(f, "{} not found", kind),
            StdError::ParseErr { target_type, msg } => write!(f, "Error parsing into type {}: {}", target_type, msg),
            StdError::SerializeErr { source_type, msg } => write!(f, "Error serializing type {}: {}", source_type, msg),
            StdError::InvalidBase64 { msg } => write!(f, "Invalid Base64 string: {}", msg),
            StdError::InvalidUtf8 { msg } => write!(f, "Cannot decode UTF8 bytes into string: {}", msg),
            StdError::Overflow { operation, operand1, operand2 } => {
                write!(f, "Overflow: Cannot {} with {} and {}", operation, operand1, operand2)
            }
            StdError::DivideByZero { operand } => write!(f, "Cannot divide {} by zero", operand),
        }
    }
}

impl std::error::Error for StdError {}
