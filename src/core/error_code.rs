//! OAuth and OpenID Connect error codes: the IANA "OAuth Extensions Error Registry"
//! plus the codes OpenID Connect Core and CIBA define, with an `Other` case for the
//! codes vendors invent (`scope_not_granted`, `redirect_mismatch`).

use std::fmt;

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal, $spec:literal; )*) => {
        /// An OAuth error code, as carried in the `error` parameter (RFC 6749 §4.1.2.1,
        /// §5.2; RFC 6750 §3.1). Codes are case-sensitive ASCII.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
            /// A code outside the registries, written by one vendor.
            Other(String),
        }

        impl ErrorCode {
            /// Every registered code, in registry order.
            pub const REGISTERED: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( ErrorCode::$variant => $text, )*
                    ErrorCode::Other(s) => s,
                }
            }

            /// The specification and section that define the code, or `None` for a
            /// vendor's own code.
            pub fn spec(&self) -> Option<&'static str> {
                match self {
                    $( ErrorCode::$variant => Some($spec), )*
                    ErrorCode::Other(_) => None,
                }
            }

            /// Parses a code exactly as written (codes are case-sensitive).
            pub fn parse(s: &str) -> ErrorCode {
                match s {
                    $( $text => ErrorCode::$variant, )*
                    other => ErrorCode::Other(other.to_string()),
                }
            }
        }
    };
}

error_codes! {
    /// A required parameter is missing, invalid, repeated, or the request is otherwise malformed.
    InvalidRequest = "invalid_request", "RFC 6749 §5.2";
    /// Client authentication failed.
    InvalidClient = "invalid_client", "RFC 6749 §5.2";
    /// The grant (code, refresh token, credentials) is invalid, expired or revoked.
    InvalidGrant = "invalid_grant", "RFC 6749 §5.2";
    /// The client may not use this grant or response type.
    UnauthorizedClient = "unauthorized_client", "RFC 6749 §5.2";
    /// The grant type is not supported by the server.
    UnsupportedGrantType = "unsupported_grant_type", "RFC 6749 §5.2";
    /// The requested scope is invalid, unknown, malformed, or exceeds the grant.
    InvalidScope = "invalid_scope", "RFC 6749 §5.2";
    /// The resource owner or the server denied the request.
    AccessDenied = "access_denied", "RFC 6749 §4.1.2.1";
    /// The server does not support this response type.
    UnsupportedResponseType = "unsupported_response_type", "RFC 6749 §4.1.2.1";
    /// An unexpected condition inside the server.
    ServerError = "server_error", "RFC 6749 §4.1.2.1";
    /// The server is overloaded or under maintenance.
    TemporarilyUnavailable = "temporarily_unavailable", "RFC 6749 §4.1.2.1";
    /// The access token is expired, revoked, malformed or invalid.
    InvalidToken = "invalid_token", "RFC 6750 §3.1";
    /// The access token lacks the scope the resource requires.
    InsufficientScope = "insufficient_scope", "RFC 6750 §3.1";
    /// The server cannot revoke this token type.
    UnsupportedTokenType = "unsupported_token_type", "RFC 7009 §2.2.1";
    /// A redirect URI in the registration request is invalid.
    InvalidRedirectUri = "invalid_redirect_uri", "RFC 7591 §3.2.2";
    /// A client metadata value in the registration request is invalid.
    InvalidClientMetadata = "invalid_client_metadata", "RFC 7591 §3.2.2";
    /// The software statement is invalid.
    InvalidSoftwareStatement = "invalid_software_statement", "RFC 7591 §3.2.2";
    /// The software statement is not approved by this server.
    UnapprovedSoftwareStatement = "unapproved_software_statement", "RFC 7591 §3.2.2";
    /// The user has not yet completed the device authorization.
    AuthorizationPending = "authorization_pending", "RFC 8628 §3.5";
    /// The client polls too often.
    SlowDown = "slow_down", "RFC 8628 §3.5";
    /// The device code (or CIBA auth_req_id) expired.
    ExpiredToken = "expired_token", "RFC 8628 §3.5";
    /// The `resource` or `audience` is invalid, unknown or not allowed.
    InvalidTarget = "invalid_target", "RFC 8707 §2";
    /// The key presented for proof of possession is not supported (ACE).
    UnsupportedPopKey = "unsupported_pop_key", "RFC 9200 §5.8.3";
    /// No ACE profile is shared by client and resource server.
    IncompatibleAceProfiles = "incompatible_ace_profiles", "RFC 9200 §5.8.3";
    /// The `authorization_details` parameter is invalid.
    InvalidAuthorizationDetails = "invalid_authorization_details", "RFC 9396 §5";
    /// The DPoP proof is missing or invalid.
    InvalidDpopProof = "invalid_dpop_proof", "RFC 9449 §5";
    /// The server requires a DPoP nonce in the proof.
    UseDpopNonce = "use_dpop_nonce", "RFC 9449 §8";
    /// The authentication event does not meet the resource server's requirements.
    InsufficientUserAuthentication = "insufficient_user_authentication", "RFC 9470 §3";
    /// User interaction is required.
    InteractionRequired = "interaction_required", "OpenID Connect Core 1.0 §3.1.2.6";
    /// The user must log in.
    LoginRequired = "login_required", "OpenID Connect Core 1.0 §3.1.2.6";
    /// The user must choose an account.
    AccountSelectionRequired = "account_selection_required", "OpenID Connect Core 1.0 §3.1.2.6";
    /// The user must consent.
    ConsentRequired = "consent_required", "OpenID Connect Core 1.0 §3.1.2.6";
    /// The `request_uri` returns an error or invalid data.
    InvalidRequestUri = "invalid_request_uri", "OpenID Connect Core 1.0 §3.1.2.6";
    /// The request object is invalid.
    InvalidRequestObject = "invalid_request_object", "OpenID Connect Core 1.0 §3.1.2.6";
    /// The server does not support the `request` parameter.
    RequestNotSupported = "request_not_supported", "OpenID Connect Core 1.0 §3.1.2.6";
    /// The server does not support the `request_uri` parameter.
    RequestUriNotSupported = "request_uri_not_supported", "OpenID Connect Core 1.0 §3.1.2.6";
    /// The server does not support the `registration` parameter.
    RegistrationNotSupported = "registration_not_supported", "OpenID Connect Core 1.0 §3.1.2.6";
    /// The server cannot meet the requested authentication requirements.
    UnmetAuthenticationRequirements = "unmet_authentication_requirements", "OpenID Connect Unmet Authentication Requirements 1.0 §2";
    /// The CIBA login_hint_token has expired.
    ExpiredLoginHintToken = "expired_login_hint_token", "OpenID Connect CIBA Core 1.0 §13";
    /// The CIBA user hint does not identify a known user.
    UnknownUserId = "unknown_user_id", "OpenID Connect CIBA Core 1.0 §13";
    /// The CIBA user code is required but missing.
    MissingUserCode = "missing_user_code", "OpenID Connect CIBA Core 1.0 §13";
    /// The CIBA user code is invalid.
    InvalidUserCode = "invalid_user_code", "OpenID Connect CIBA Core 1.0 §13";
    /// The CIBA binding message is invalid or unacceptable.
    InvalidBindingMessage = "invalid_binding_message", "OpenID Connect CIBA Core 1.0 §13";
    /// The CIBA authentication transaction failed.
    TransactionFailed = "transaction_failed", "OpenID Connect CIBA Core 1.0 §11";
}

impl ErrorCode {
    /// Whether the code is in a registry rather than a vendor's own.
    pub fn is_registered(&self) -> bool {
        !matches!(self, ErrorCode::Other(_))
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_code_round_trips() {
        for code in ErrorCode::REGISTERED {
            assert_eq!(&ErrorCode::parse(code.as_str()), code);
            assert!(code.spec().is_some());
        }
        assert_eq!(
            ErrorCode::parse("scope_not_granted"),
            ErrorCode::Other("scope_not_granted".into())
        );
        // Codes are case-sensitive (RFC 6749 §5.2: a single ASCII error code).
        assert!(!ErrorCode::parse("Invalid_Scope").is_registered());
    }
}
