using System.Net;

namespace KpiBot.Channels.Teams.Connector;

/// <summary>A call to the Bot Connector (or its token endpoint) failed for good.</summary>
public sealed class ConnectorException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConnectorException(string message, HttpStatusCode? statusCode, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception without a status (parameterless-style constructors for analyzers).</summary>
    public ConnectorException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ConnectorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public ConnectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status the Connector answered, when it answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The Connector's Retry-After, when it throttled.</summary>
    public TimeSpan? RetryAfter { get; }
}
