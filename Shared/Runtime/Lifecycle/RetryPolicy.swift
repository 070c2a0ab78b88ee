/// How calls to outside HTTP systems (SMS, WhatsApp and mail gateways, SP4N-LAPOR!) are retried:
/// timeouts, 408, 429 and 5xx may succeed later; any other 4xx will not.
public enum RetryPolicy {
    public static func isRetriable(httpStatus: Int) -> Bool {
        httpStatus == 408 || httpStatus == 429 || httpStatus >= 500
    }
}
