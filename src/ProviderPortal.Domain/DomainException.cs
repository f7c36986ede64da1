namespace ProviderPortal.Domain;

/// <summary>A rule of the domain was broken: an invalid transition or invalid input. The message is written for the user.</summary>
public class DomainException(string message) : Exception(message);
