// Default reason phrases: RFC 3261 §21 and a few extensions.
#include <string_view>

#include "sipua/message/status.hpp"

namespace sipua {

std::string_view default_reason(int status) noexcept {
  switch (status) {
    // §21.1 Provisional 1xx
    case 100: return "Trying";
    case 180: return "Ringing";
    case 181: return "Call Is Being Forwarded";
    case 182: return "Queued";
    case 183: return "Session Progress";
    // §21.2 Successful 2xx
    case 200: return "OK";
    case 202:
      return "Accepted";  // RFC 3265 §7.3.1 (kept by RFC 6665 §8.3.1)
    // §21.3 Redirection 3xx
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Moved Temporarily";
    case 305: return "Use Proxy";
    case 380: return "Alternative Service";
    // §21.4 Request Failure 4xx
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 413: return "Request Entity Too Large";
    case 414: return "Request-URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Unsupported URI Scheme";
    case 420: return "Bad Extension";
    case 421: return "Extension Required";
    case 422: return "Session Interval Too Small";  // RFC 4028 §12.2
    case 423: return "Interval Too Brief";
    case 429: return "Provide Referrer Identity";         // RFC 3892 §5
    case 430: return "Flow Failed";                       // RFC 5626 §11.5
    case 439: return "First Hop Lacks Outbound Support";  // RFC 5626 §11.6
    case 440: return "Max-Breadth Exceeded";              // RFC 5393 §6.2
    case 469: return "Bad Info Package";                  // RFC 6086 §11.6
    case 480: return "Temporarily Unavailable";
    case 481: return "Call/Transaction Does Not Exist";
    case 482: return "Loop Detected";
    case 483: return "Too Many Hops";
    case 484: return "Address Incomplete";
    case 485: return "Ambiguous";
    case 486: return "Busy Here";
    case 487: return "Request Terminated";
    case 488: return "Not Acceptable Here";
    case 489: return "Bad Event";  // RFC 6665 §8.3.2
    case 491: return "Request Pending";
    case 493: return "Undecipherable";
    // §21.5 Server Failure 5xx
    case 500: return "Server Internal Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Server Time-out";
    case 505: return "Version Not Supported";
    case 513: return "Message Too Large";
    // §21.6 Global Failures 6xx
    case 600: return "Busy Everywhere";
    case 603: return "Decline";
    case 604: return "Does Not Exist Anywhere";
    case 606: return "Not Acceptable";
    default: return {};
  }
}

}  // namespace sipua
