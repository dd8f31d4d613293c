namespace Course.Lab;
