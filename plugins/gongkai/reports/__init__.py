"""What a build reports and publishes nowhere: compliance checks, the audit manifest, the review status of a change."""
