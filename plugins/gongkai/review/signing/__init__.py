"""Sign-offs as signatures: statements, SSH signatures (SSHSIG), SM2, the reviewer roster."""
